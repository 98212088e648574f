"""Reading wrk's results and building its command line (a real run is in test_server.py)."""

import pytest

from ruspolitikk.bench.wrk import LUA_SCRIPT, Load, WrkError, command, parse

# What wrk 4.1 printed against a server answering 404, with percentiles.lua.
OUTPUT = """\
Running 1s test @ http://127.0.0.1:8799/nope
  1 threads and 2 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.47ms    2.35ms  12.58ms   82.15%
    Req/Sec     0.94k   587.63     1.87k    60.00%
  940 requests in 1.00s, 477.34KB read
  Non-2xx or 3xx responses: 940
Requests/sec:    935.57
Transfer/sec:    475.09KB
BENCH_JSON {"requests": 940, "duration_us": 1004740, "p50_us": 1089, "p95_us": 7765, "p99_us": 8550, \
"max_us": 12577, "status": 940, "connect": 0, "read": 2, "write": 0, "timeout": 1}
"""


def test_parse_reads_percentiles_throughput_and_every_kind_of_error():
    load = parse(OUTPUT)

    assert load.requests == 940
    assert (load.p50_ms, load.p95_ms, load.p99_ms) == (1.089, 7.765, 8.55)
    assert load.requests_per_second == pytest.approx(935.57, abs=0.01)
    assert load.errors == {"status": 940, "connect": 0, "read": 2, "write": 0, "timeout": 1}
    assert load.error_count == 943


def test_parse_without_the_script_line_says_what_wrk_printed():
    with pytest.raises(WrkError, match="printed no BENCH_JSON line:\nunable to connect"):
        parse("unable to connect to 127.0.0.1:1 Connection refused\n")


def test_a_run_of_no_time_has_no_throughput():
    assert Load(0, 0.0, 0, 0, 0, {}).requests_per_second == 0.0


def test_command_sends_the_headers_and_never_more_threads_than_connections():
    args = command(
        "http://127.0.0.1:8000/",
        connections=1,
        duration_s=5,
        threads=4,
        headers={"HX-Request": "true", "X-Forwarded-Proto": "https"},
    )

    assert args[0] == "wrk"
    assert "--connections=1" in args
    assert "--threads=1" in args
    assert "--duration=5s" in args
    assert f"--script={LUA_SCRIPT}" in args
    assert args[-5:] == [
        "--header",
        "HX-Request: true",
        "--header",
        "X-Forwarded-Proto: https",
        "http://127.0.0.1:8000/",
    ]
    assert LUA_SCRIPT.is_file()
