"""A production-like benchmark of the public pages.

``run_benchmark`` prepares a database (migrate, the committed fixtures, ``collectstatic`` with
hashed files), serves the app with gunicorn exactly as production would (``DEBUG`` off, a secret
key, ``STATIC_MANIFEST=1``), and sends a bounded number of GET requests per URL from a few
concurrent clients on 127.0.0.1. It reports p50/p95 latency, throughput, the status codes seen
and transport errors, then stops the server. Nothing here reaches beyond the loopback address.

The database is the one ``DATABASE_URL`` names (``make bench`` runs it a second time inside
``.ci/with-postgres``), or a fresh SQLite file in a temporary directory when it is unset.
"""

import http.client
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Target:
    """One URL to measure, with the headers to send (e.g. an htmx request)."""

    label: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)


HTMX = {"HX-Request": "true"}
DEFAULT_TARGETS = (
    Target("grid", "/"),
    Target("grid fragment (htmx)", "/", HTMX),
    Target("evidence fragment (htmx)", "/parti/ap/tema/lar/", HTMX),
    Target("topic page", "/tema/lar/"),
    Target("search", "/sok/?q=brukerdose"),
)


class BenchmarkError(Exception):
    """The benchmark could not prepare or start the server."""


@dataclass
class Result:
    target: Target
    latencies_ms: list[float]
    statuses: Counter
    errors: int
    elapsed_s: float

    @property
    def requests(self) -> int:
        return len(self.latencies_ms) + self.errors

    @property
    def p50(self) -> float:
        return percentile(self.latencies_ms, 50)

    @property
    def p95(self) -> float:
        return percentile(self.latencies_ms, 95)

    @property
    def requests_per_second(self) -> float:
        return len(self.latencies_ms) / self.elapsed_s if self.elapsed_s > 0 else 0.0


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile; NaN for no values."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * pct // 100))  # ceil without floats drifting
    return ordered[int(rank) - 1]


def format_table(database: str, results: list[Result]) -> str:
    header = ("database", "url", "p50 ms", "p95 ms", "req/s", "requests", "status", "errors")
    rows = [header]
    for result in results:
        statuses = " ".join(f"{code}×{count}" for code, count in sorted(result.statuses.items()))
        path = result.target.path + (" [htmx]" if result.target.headers.get("HX-Request") else "")
        rows.append(
            (
                database,
                path,
                f"{result.p50:.1f}",
                f"{result.p95:.1f}",
                f"{result.requests_per_second:.0f}",
                str(result.requests),
                statuses or "-",
                str(result.errors),
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(line.rstrip() for line in lines)


# --- Load generation ----------------------------------------------------------------------------


def measure(
    port: int,
    target: Target,
    *,
    requests: int,
    warmup: int,
    concurrency: int,
    time_budget_s: float,
    host: str = HOST,
) -> Result:
    """Send ``warmup`` then ``requests`` GETs from ``concurrency`` threads; stop at the time budget."""
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: Counter = Counter()
    errors = 0
    deadline = time.monotonic() + time_budget_s

    def one_request(connection: http.client.HTTPConnection) -> tuple[int | None, float]:
        started = time.perf_counter()
        try:
            connection.request("GET", target.path, headers={"Host": host, **target.headers})
            response = connection.getresponse()
            response.read()
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
            return response.status, (time.perf_counter() - started) * 1000
        except (OSError, http.client.HTTPException):
            connection.close()
            return None, 0.0

    def client(tickets: Iterator[int], record: bool) -> None:
        nonlocal errors
        connection = http.client.HTTPConnection(host, port, timeout=30)
        try:
            while time.monotonic() < deadline:
                with lock:
                    if next(tickets, None) is None:
                        return
                status, latency = one_request(connection)
                if not record:
                    continue
                with lock:
                    if status is None:
                        errors += 1
                    else:
                        statuses[status] += 1
                        latencies.append(latency)
        finally:
            connection.close()

    def run_phase(total: int, record: bool) -> float:
        tickets = iter(range(total))
        threads = [
            threading.Thread(target=client, args=(tickets, record), daemon=True) for _ in range(concurrency)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=max(0.0, deadline - time.monotonic()) + 35)
        return time.perf_counter() - started

    run_phase(warmup, record=False)
    elapsed = run_phase(requests, record=True)
    return Result(target, latencies, statuses, errors, elapsed)


# --- The production-like server -------------------------------------------------------------


def free_port(host: str = HOST) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def production_environment(database_url: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "DEBUG"}
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        STATIC_MANIFEST="1",
        ALLOWED_HOSTS=HOST,
        DATABASE_URL=database_url,
    )
    return env


def database_label(database_url: str) -> str:
    return "postgresql" if database_url.startswith(("postgres://", "postgresql://")) else "sqlite"


def manage(env: dict[str, str], *args: str) -> None:
    completed = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise BenchmarkError(f"manage.py {' '.join(args)} failed:\n{completed.stdout}{completed.stderr}")


def prepare(env: dict[str, str], log) -> None:
    log("migrate, load_data, collectstatic …")
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "load_data", "-v", "0")  # the same load as `make run`
    manage(env, "collectstatic", "--no-input", "-v", "0")


@dataclass
class Server:
    port: int
    log_path: Path

    def last_error(self) -> str:
        """The last line of the last traceback in the server's log (why a request got a 500)."""
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        lines = [line.rstrip() for line in text.splitlines() if line.strip()]
        errors = [line for line in lines if not line.startswith((" ", "Traceback", "During handling"))]
        return errors[-1] if errors else ""


@contextmanager
def gunicorn(env: dict[str, str], *, workers: int, startup_timeout_s: float = 30) -> Iterator[Server]:
    """Serve ruspolitikk.wsgi with gunicorn on a free loopback port; stop it on exit."""
    port = free_port()
    with (
        tempfile.TemporaryDirectory(prefix="ruspolitikk-gunicorn-") as tmp,
        (Path(tmp) / "gunicorn.log").open("w") as server_log,
    ):
        log_path = Path(server_log.name)
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "ruspolitikk.wsgi:application",
                f"--bind={HOST}:{port}",
                f"--workers={workers}",
                "--log-level=warning",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=server_log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_listening(process, port, startup_timeout_s, log_path)
            yield Server(port, log_path)
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until_listening(process: subprocess.Popen, port: int, timeout_s: float, log_path: Path) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = log_path.read_text(encoding="utf-8", errors="replace")
            raise BenchmarkError(f"gunicorn exited with {process.returncode}:\n{log}")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise BenchmarkError(f"gunicorn did not listen on {HOST}:{port} within {timeout_s:.0f} s")


def run_benchmark(
    *,
    targets=DEFAULT_TARGETS,
    requests: int = 300,
    warmup: int = 20,
    concurrency: int = 4,
    workers: int = 2,
    time_budget_s: float = 60,
    log=print,
) -> tuple[str, list[Result]]:
    """Prepare a database, serve it with gunicorn, measure every target. Returns (database, results)."""
    database_url = os.environ.get("DATABASE_URL", "")
    with tempfile.TemporaryDirectory(prefix="ruspolitikk-bench-") as tmp:
        if not database_url:
            database_url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        database = database_label(database_url)
        env = production_environment(database_url)
        log(f"[{database}] {database_url.split('@')[-1]}")
        prepare(env, log)
        with gunicorn(env, workers=workers) as server:
            log(f"[{database}] gunicorn on {HOST}:{server.port}, {workers} workers, {concurrency} clients")
            results = []
            for target in targets:
                result = measure(
                    server.port,
                    target,
                    requests=requests,
                    warmup=warmup,
                    concurrency=concurrency,
                    time_budget_s=time_budget_s,
                )
                log(f"[{database}] {target.label}: {result.requests} requests in {result.elapsed_s:.1f} s")
                if any(status >= 500 for status in result.statuses):
                    log(f"[{database}]   server error: {server.last_error()}")
                results.append(result)
    return database, results
