"""One leg of the benchmark: one database, every page, cached and uncached, and the static copy.

The order: prepare the database as ``make serve`` would; time renders in-process and write the
grid's static copy; then start gunicorn with the page cache off and load every page at each
number of clients; restart it with the page cache on and do the same, then the static copy at
each number of clients and the long run of the cached grid. Each server is warmed up first and
every page must answer 200 before any load is measured.
"""

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ruspolitikk.bench import wrk
from ruspolitikk.bench.report import STATIC, Leg, Row, format_row
from ruspolitikk.bench.server import (
    PROXY_HEADERS,
    Server,
    ServerError,
    database_label,
    gunicorn,
    gunicorn_settings,
    prepare,
    production_environment,
    run_python,
)

HTMX = {"HX-Request": "true"}


@dataclass(frozen=True)
class Target:
    """One page to load, with the headers to send (e.g. an htmx request)."""

    page: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)


TARGETS = (
    Target("grid", "/"),
    Target("grid fragment", "/", HTMX),
    Target("evidence fragment", "/parti/ap/tema/lar/", HTMX),
    Target("topic page", "/tema/lar/"),
    Target("search", "/sok/?q=brukerdose"),
    Target("CSV export", "/eksport.csv"),
)
LONG_RUN = Target("grid", "/")
WARMUP_REQUESTS = 5


@dataclass(frozen=True)
class Plan:
    targets: tuple[Target, ...] = TARGETS
    clients: tuple[int, ...] = (1, 16, 64)
    duration_s: int = 5
    long_clients: int = 64
    long_duration_s: int = 60  # 0: no long run
    wrk_threads: int = 1
    renders: int = 30
    workers: int | None = None  # None: gunicorn.conf.py's choice
    threads: int | None = None


def render_in_process(env: dict[str, str], renders: int) -> dict:
    """Median render times with the page cache off, and the static copy (render.py, a subprocess)."""
    output = run_python(
        {**env, "PAGE_CACHE": "0"},
        "-m",
        "ruspolitikk.bench.render",
        f"--renders={renders}",
        "--static-copy",
        what="in-process render",
    )
    return json.loads(output.splitlines()[-1])


def warm_up(server: Server, targets) -> None:
    """A few requests per page; each must answer 200, or the load would measure error pages."""
    for target in targets:
        for _ in range(WARMUP_REQUESTS):
            response = server.get(target.path, target.headers)
            if response.status != 200:
                detail = server.last_error() if response.status >= 500 else ""
                raise ServerError(f"GET {target.path} answered {response.status}, not 200. {detail}".strip())


@dataclass(frozen=True)
class Run:
    """One wrk run: a page, against the server with the page cache on or off (or the static copy)."""

    cache: str  # "on", "off", or STATIC
    target: Target
    clients: int
    duration_s: int


def runs(plan: Plan, *, page_cache: bool, static: Target) -> list[Run]:
    """What one server start measures: every page at each number of clients; with the page cache
    on, also the static copy at each number of clients and the long run of the cached grid."""
    cache = "on" if page_cache else "off"
    planned = [
        Run(cache, target, clients, plan.duration_s) for target in plan.targets for clients in plan.clients
    ]
    if page_cache:
        planned += [Run(STATIC, static, clients, plan.duration_s) for clients in plan.clients]
        if plan.long_duration_s:
            planned.append(Run(cache, LONG_RUN, plan.long_clients, plan.long_duration_s))
    return planned


def load(server: Server, run: Run, *, database: str, wrk_threads: int, log: Callable[[str], None]) -> Row:
    result = wrk.run(
        server.url(run.target.path),
        connections=run.clients,
        duration_s=run.duration_s,
        threads=wrk_threads,
        headers={**PROXY_HEADERS, **run.target.headers},
    )
    row = Row(
        database=database,
        cache=run.cache,
        page=run.target.page,
        clients=run.clients,
        duration_s=run.duration_s,
        p50_ms=result.p50_ms,
        p95_ms=result.p95_ms,
        p99_ms=result.p99_ms,
        requests_per_second=result.requests_per_second,
        errors=result.error_count,
        error_kinds={kind: count for kind, count in result.errors.items() if count},
    )
    log(format_row(row))
    if result.errors["status"]:
        log(f"[{database}]   last server error: {server.last_error() or '(none logged)'}")
    return row


def run_leg(database_url: str | None, plan: Plan = Plan(), log: Callable[[str], None] = print) -> Leg:
    """Benchmark the database ``database_url`` names, or a fresh SQLite file when it is None."""
    wrk.require_wrk()
    with tempfile.TemporaryDirectory(prefix="ruspolitikk-bench-") as tmp:
        tmp_path = Path(tmp)
        database_url = database_url or f"sqlite:///{tmp_path / 'bench.sqlite3'}"
        database = database_label(database_url)
        env = production_environment(database_url, cache_dir=tmp_path / "cache")
        if plan.workers:
            env["WEB_CONCURRENCY"] = str(plan.workers)
        if plan.threads:
            env["GUNICORN_THREADS"] = str(plan.threads)
        config = gunicorn_settings(env)
        leg = Leg(
            database=database,
            server=f"{config['workers']} workers × {config['threads']} threads ({config['worker_class']})",
            renders=plan.renders,
        )
        log(f"[{database}] {database_url.split('@')[-1]}; gunicorn {leg.server}")
        prepare(env, log)
        log(f"[{database}] in-process renders ({plan.renders} each, page cache off) …")
        rendered = render_in_process(env, plan.renders)
        leg.render_ms = rendered["render_ms"]
        log(f"[{database}] " + ", ".join(f"{page} {ms:.1f} ms" for page, ms in leg.render_ms.items()))
        static = Target("grid as static file", rendered["static_copy"]["url"])
        try:
            for page_cache in (False, True):
                with gunicorn(env, page_cache=page_cache, log_path=tmp_path / "gunicorn.log") as server:
                    warm_up(server, [*plan.targets, static])
                    for run in runs(plan, page_cache=page_cache, static=static):
                        leg.rows.append(
                            load(server, run, database=database, wrk_threads=plan.wrk_threads, log=log)
                        )
        finally:
            Path(rendered["static_copy"]["file"]).unlink(missing_ok=True)
    return leg
