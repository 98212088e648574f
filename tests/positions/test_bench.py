"""The benchmark's own arithmetic and load loop (the full run is `make bench`)."""

import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from positions.bench import Result, Server, Target, format_table, measure, percentile


def test_percentile_uses_nearest_rank():
    values = [float(v) for v in range(1, 101)]

    assert percentile(values, 50) == 50.0
    assert percentile(values, 95) == 95.0
    assert percentile([7.0], 95) == 7.0


def test_percentile_of_nothing_is_nan():
    assert percentile([], 50) != percentile([], 50)


def test_table_lists_each_url_with_its_status_codes_and_marks_htmx_requests():
    results = [
        Result(Target("grid", "/"), [10.0, 20.0], Counter({200: 2}), 0, 0.5),
        Result(Target("grid", "/", {"HX-Request": "true"}), [5.0], Counter({404: 1}), 1, 0.5),
    ]

    table = format_table("sqlite", results).splitlines()

    assert table[0].split() == [
        "database",
        "url",
        "p50",
        "ms",
        "p95",
        "ms",
        "req/s",
        "requests",
        "status",
        "errors",
    ]
    assert table[2].split() == ["sqlite", "/", "10.0", "20.0", "4", "2", "200×2", "0"]
    assert table[3].split() == ["sqlite", "/", "[htmx]", "5.0", "5.0", "2", "2", "404×1", "1"]


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        status = 200 if self.headers.get("HX-Request") == "true" else 404
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


@pytest.fixture
def loopback_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


def test_measure_sends_exactly_the_requested_count_with_the_target_headers(loopback_server):
    result = measure(
        loopback_server,
        Target("fragment", "/", {"HX-Request": "true"}),
        requests=25,
        warmup=3,
        concurrency=3,
        time_budget_s=30,
    )

    assert result.statuses == Counter({200: 25})
    assert result.errors == 0
    assert len(result.latencies_ms) == 25


def test_measure_reports_status_codes_instead_of_failing(loopback_server):
    result = measure(
        loopback_server, Target("page", "/"), requests=5, warmup=0, concurrency=2, time_budget_s=30
    )

    assert result.statuses == Counter({404: 5})


def test_server_error_summary_is_the_exception_line_of_the_last_traceback(tmp_path):
    log = tmp_path / "gunicorn.log"
    log.write_text(
        "Internal Server Error: /\n"
        "Traceback (most recent call last):\n"
        '  File "x.py", line 1, in <module>\n'
        "ValueError: Missing staticfiles manifest entry for 'css/site.css'\n"
    )

    assert Server(1, log).last_error() == "ValueError: Missing staticfiles manifest entry for 'css/site.css'"
