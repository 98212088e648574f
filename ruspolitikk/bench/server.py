"""The app as production serves it, on a loopback port: ``make serve``'s settings and gunicorn config.

``production_environment`` is what ``make serve`` asks of its environment (DEBUG off, a secret key,
hashed static files, the HTTPS settings at their defaults) with a fresh key, 127.0.0.1 as the only
host and a page cache of its own. Requests come as from the TLS proxy production has in front
(``X-Forwarded-Proto: https``), so the HTTPS redirect and HSTS stay on as they are in production.
``prepare`` does what ``make serve`` does before it starts gunicorn, plus loading the data;
``gunicorn`` starts ``ruspolitikk/gunicorn.conf.py``'s server and always stops it.
"""

import http.client
import os
import runpy
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
GUNICORN_CONFIG = BASE_DIR / "ruspolitikk" / "gunicorn.conf.py"
HOST = "127.0.0.1"
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
# Settings the caller's shell (or the test run) must not choose for a production-like server.
_DECIDED_HERE = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "STATIC_MANIFEST",
    "SECURE_COOKIES",
    "CSRF_TRUSTED_ORIGINS",
    "CACHE_URL",
    "PAGE_CACHE",
    "BIND",
}


class ServerError(Exception):
    """The database could not be prepared, or gunicorn did not start."""


def production_environment(database_url: str, *, cache_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in _DECIDED_HERE and not key.startswith("SECURE_")
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        DATABASE_URL=database_url,
        STATIC_MANIFEST="1",
        SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https",
        CACHE_URL=cache_dir.resolve().as_uri(),
    )
    return env


def gunicorn_settings(env: dict[str, str]) -> dict:
    """gunicorn.conf.py's settings as gunicorn will read them in ``env`` (workers, threads, …)."""
    saved = dict(os.environ)
    try:
        os.environ.clear()
        os.environ.update(env)
        return runpy.run_path(str(GUNICORN_CONFIG))
    finally:
        os.environ.clear()
        os.environ.update(saved)


def database_label(database_url: str) -> str:
    return "postgresql" if database_url.startswith(("postgres://", "postgresql://")) else "sqlite"


def run_python(env: dict[str, str], *args: str, what: str) -> str:
    """Run this Python with ``args`` in the project; its output, or ``ServerError`` saying ``what`` failed."""
    completed = subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if completed.returncode != 0:
        raise ServerError(f"{what} failed:\n{completed.stdout}{completed.stderr}")
    return completed.stdout


def manage(env: dict[str, str], *args: str) -> str:
    return run_python(env, "manage.py", *args, what=f"manage.py {' '.join(args)}")


def prepare(env: dict[str, str], log: Callable[[str], None]) -> None:
    """What ``make serve`` does before gunicorn (static files, migrations), and the seed data."""
    log("collectstatic, migrate, load_data …")
    manage(env, "collectstatic", "--no-input", "-v", "0")
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "load_data", "-v", "0")  # the same load as `make run`


@dataclass
class Server:
    port: int
    log_path: Path

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def log_text(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def last_error(self) -> str:
        """The exception line of the last traceback in the server's log (why a request got a 500)."""
        lines = [line.rstrip() for line in self.log_text().splitlines() if line.strip()]
        for index in range(len(lines) - 1, -1, -1):
            if lines[index].startswith("Traceback"):
                tail = [line for line in lines[index + 1 :] if not line.startswith(" ")]
                return tail[0] if tail else ""
        return ""

    def get(self, path: str, headers=None) -> "Reply":
        """One request as from the TLS proxy, read to the end (for warm-up and checks)."""
        connection = http.client.HTTPConnection(HOST, self.port, timeout=30)
        try:
            connection.request("GET", path, headers={**PROXY_HEADERS, **(headers or {})})
            response = connection.getresponse()
            body = response.read()
            return Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, body)
        finally:
            connection.close()


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]  # names in lower case
    body: bytes


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(
    env: dict[str, str], *, page_cache: bool, log_path: Path, startup_timeout_s: float = 60
) -> Iterator[Server]:
    """Serve the app with gunicorn.conf.py on a free loopback port; stop it however the block ends."""
    port = free_port()
    with log_path.open("a", encoding="utf-8") as server_log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                f"--config={GUNICORN_CONFIG}",
                f"--bind={HOST}:{port}",
                "ruspolitikk.wsgi:application",
            ],
            cwd=BASE_DIR,
            env={**env, "PAGE_CACHE": "1" if page_cache else "0"},
            stdout=server_log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_listening(process, port, startup_timeout_s, log_path)
            yield Server(port, log_path)
        finally:
            process.terminate()
            try:
                process.wait(timeout=35)  # gunicorn's graceful_timeout is 30 s
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until_listening(process: subprocess.Popen, port: int, timeout_s: float, log_path: Path) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log = log_path.read_text(encoding="utf-8", errors="replace")
            raise ServerError(f"gunicorn exited with {process.returncode}:\n{log}")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise ServerError(f"gunicorn did not listen on {HOST}:{port} within {timeout_s:.0f} s")
