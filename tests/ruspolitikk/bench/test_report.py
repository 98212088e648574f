"""The benchmark's table: columns, the ratio to the static copy, legs saved and read back."""

import pytest

from ruspolitikk.bench.__main__ import main
from ruspolitikk.bench.report import STATIC, Leg, Row, format_report, format_table, static_ratio


def row(
    database="sqlite", cache="on", page="grid", clients=16, rps=800.0, errors=0, duration_s=5, kinds=None
):
    return Row(database, cache, page, clients, duration_s, 1.25, 2.5, 4.0, rps, errors, kinds or {})


def test_ratio_is_to_the_static_copy_of_the_same_database_and_clients():
    rows = [
        row(rps=800.0),
        row(cache=STATIC, page="grid as static file", rps=1000.0),
        row(cache=STATIC, page="grid as static file", clients=1, rps=100.0),
        row(database="postgresql", cache=STATIC, page="grid as static file", rps=10.0),
        row(clients=64, rps=500.0),
    ]

    assert static_ratio(rows[0], rows) == 0.8
    assert static_ratio(rows[1], rows) is None  # the static row itself
    assert static_ratio(rows[4], rows) is None  # no static run at 64 clients


def test_table_has_one_line_per_run_with_its_figures():
    rows = [
        row(rps=800.0, errors=3, kinds={"status": 2, "timeout": 1}),
        row(cache=STATIC, page="grid as static file", rps=1000.0),
    ]

    lines = format_table(rows).splitlines()

    assert lines[0].split() == [
        "database", "cache", "page", "clients", "s", "p50", "ms", "p95", "ms", "p99", "ms", "req/s", "errors",
        "÷static",
    ]  # fmt: skip
    assert set(lines[1]) == {"-", " "}
    assert [cell.strip() for cell in lines[2].split("  ") if cell.strip()] == [
        "sqlite", "on", "grid", "16", "5", "1.2", "2.5", "4.0", "800", "3 (status 2, timeout 1)", "0.80"
    ]  # fmt: skip
    assert lines[3].split()[-3:] == ["1000", "0", "-"]
    assert len({len(line) for line in lines[:2]}) == 1  # aligned


def test_report_joins_the_legs_and_lists_render_times(tmp_path):
    sqlite = Leg("sqlite", "3 workers × 4 threads (gthread)", 30, {"grid": 35.61, "search": 22.0}, [row()])
    postgresql = Leg("postgresql", "3 workers × 4 threads (gthread)", 30, {"grid": 30.0}, [row("postgresql")])
    sqlite.save(tmp_path / "sqlite.json")

    assert Leg.load(tmp_path / "sqlite.json") == sqlite

    report = format_report([sqlite, postgresql])
    assert [line.split()[0] for line in report.splitlines()[2:4]] == ["sqlite", "postgresql"]
    assert "sqlite: grid 35.6 ms, search 22.0 ms (median of 30, page cache off)" in report
    assert "postgresql: gunicorn 3 workers × 4 threads (gthread)" in report


@pytest.mark.parametrize(("errors", "status"), [(0, 0), (2, 1)])
def test_report_command_fails_when_any_request_failed(tmp_path, capsys, errors, status):
    Leg("sqlite", "1 workers × 1 threads (gthread)", 1, {}, [row(errors=errors)]).save(tmp_path / "leg.json")

    assert main(["report", str(tmp_path / "leg.json")]) == status
    assert "sqlite    on     grid" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--clients", "1,0"], "a comma-separated list of numbers ≥ 1, not '1,0'"),
        (["--duration", "0"], "must be at least 1"),
        (["--pages", "grid,forsiden"], "unknown page 'forsiden'; pages: grid, grid fragment"),
    ],
)
def test_run_refuses_bad_options_by_name(capsys, args, message):
    with pytest.raises(SystemExit) as exit_info:
        main(["run", *args])

    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
