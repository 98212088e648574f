"""``python -m ruspolitikk.bench``: ``run`` one leg (one database), ``report`` the legs as one table.

    python -m ruspolitikk.bench run --results .tmp/bench/sqlite.json
    .ci/with-postgres python -m ruspolitikk.bench run --results .tmp/bench/postgresql.json
    python -m ruspolitikk.bench report .tmp/bench/sqlite.json .tmp/bench/postgresql.json

``run`` benchmarks the database DATABASE_URL names, or a fresh SQLite file when it is unset.
``report`` exits with status 1 when any run had errors, so no 5xx goes unnoticed.
"""

import argparse
import os
import signal
import sys
from pathlib import Path

from ruspolitikk.bench import wrk
from ruspolitikk.bench.leg import TARGETS, Plan, run_leg
from ruspolitikk.bench.report import Leg, format_report, format_table
from ruspolitikk.bench.server import ServerError


def positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def clients(text: str) -> tuple[int, ...]:
    try:
        return tuple(positive(part) for part in text.split(","))
    except (ValueError, argparse.ArgumentTypeError) as error:
        raise argparse.ArgumentTypeError(f"a comma-separated list of numbers ≥ 1, not {text!r}") from error


def pages(text: str) -> tuple:
    by_name = {target.page: target for target in TARGETS}
    names = [name.strip() for name in text.split(",")]
    unknown = [name for name in names if name not in by_name]
    if unknown:
        raise argparse.ArgumentTypeError(f"unknown page {unknown[0]!r}; pages: {', '.join(by_name)}")
    return tuple(by_name[name] for name in names)


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m ruspolitikk.bench", description=__doc__.splitlines()[0])
    commands = main.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="benchmark one database (DATABASE_URL, or a fresh SQLite file)")
    run.add_argument("--results", type=Path, help="write the leg's rows here as JSON")
    run.add_argument("--duration", type=positive, default=5, help="seconds per run (default 5)")
    run.add_argument("--clients", type=clients, default=(1, 16, 64), help="default 1,16,64")
    run.add_argument(
        "--long-duration", type=int, default=60, help="seconds of the cached grid at 64 clients (0: none)"
    )
    run.add_argument("--pages", type=pages, default=TARGETS, help="comma-separated, default all")
    run.add_argument("--wrk-threads", type=positive, default=1, help="wrk's threads (default 1)")
    run.add_argument("--renders", type=positive, default=30, help="in-process renders per page (median)")
    run.add_argument("--workers", type=positive, help="gunicorn workers (default: gunicorn.conf.py's)")
    run.add_argument("--threads", type=positive, help="threads per worker (default: gunicorn.conf.py's)")
    report = commands.add_parser("report", help="print the legs' results as one table")
    report.add_argument("legs", type=Path, nargs="+")
    return main


def stop_on_sigterm() -> None:
    """SIGTERM (a CI timeout, ``kill``) unwinds like Ctrl-C, so the servers are stopped on the way out."""
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def main(argv=None) -> int:
    options = parser().parse_args(argv)
    if options.command == "report":
        legs = [Leg.load(path) for path in options.legs]
        print(format_report(legs))
        errors = sum(row.errors for leg in legs for row in leg.rows)
        if errors:
            print(f"\n{errors} requests failed (see the errors column).", file=sys.stderr)
            return 1
        return 0

    plan = Plan(
        targets=options.pages,
        clients=options.clients,
        duration_s=options.duration,
        long_duration_s=max(0, options.long_duration),
        wrk_threads=options.wrk_threads,
        renders=options.renders,
        workers=options.workers,
        threads=options.threads,
    )
    stop_on_sigterm()
    try:
        leg = run_leg(os.environ.get("DATABASE_URL") or None, plan, log=lambda line: print(line, flush=True))
    except (ServerError, wrk.WrkError) as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("bench: interrupted; the servers are stopped.", file=sys.stderr)
        return 130
    if options.results:
        options.results.parent.mkdir(parents=True, exist_ok=True)
        leg.save(options.results)
    print(format_table(leg.rows), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
