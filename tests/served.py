"""The app served by gunicorn in a subprocess, on a database of its own, for tests that need real
worker processes: a publish seen by every worker, the database stopped or hung under a live server.

``served_site()`` makes a fresh database on the run's own server (a new SQLite file, or a new
database on the run's PostgreSQL), migrates and loads it as ``make run`` does, adds an editor, and
serves it as ``make serve`` does (gunicorn.conf.py through the benchmark's ``gunicorn``; DEBUG off,
two workers, the run's kind of CACHE_URL in a fresh namespace). Everything goes only to
127.0.0.1 and is stopped and dropped afterwards.
"""

import http.client
import http.cookiejar
import os
import re
import secrets
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
from django.conf import settings

from ruspolitikk.bench.server import gunicorn, manage, production_environment

HOST = "127.0.0.1"
EDITOR = ("redaktor", "korrekt-hest-batteri-42")


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]
    body: str
    seconds: float


@dataclass
class ServedSite:
    port: int
    env: dict[str, str]
    log_path: Path

    def get(
        self, path: str, headers: dict[str, str] | None = None, timeout: float = 20, method: str = "GET"
    ) -> Reply:
        """One GET (or ``method``) on a new connection (so successive requests may land on any worker)."""
        started = time.monotonic()
        connection = http.client.HTTPConnection(HOST, self.port, timeout=timeout)
        try:
            connection.request(method, path, headers={"Host": HOST, **(headers or {})})
            response = connection.getresponse()
            body = response.read().decode("utf-8", errors="replace")
            return Reply(response.status, dict(response.getheaders()), body, time.monotonic() - started)
        finally:
            connection.close()

    def manage(self, *args: str) -> str:
        return manage(self.env, *args)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def on_postgresql() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


@contextmanager
def fresh_database(tmp: Path) -> Iterator[str]:
    """A DATABASE_URL for a new, empty database on the run's server, dropped afterwards."""
    if not on_postgresql():
        yield f"sqlite:///{tmp / 'served.sqlite3'}"
        return
    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    name = f"served_{secrets.token_hex(4)}"
    admin = settings.DATABASES["default"]
    params = {
        "dbname": "postgres",
        "user": admin["USER"],
        "password": admin["PASSWORD"],
        "host": admin["HOST"],
    }
    with psycopg.connect(**params, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield urllib.parse.urlunsplit(url._replace(path=f"/{name}"))
    finally:
        for _attempt in range(50):  # the server may still be coming back from a failure test
            try:
                with psycopg.connect(**params, autocommit=True, connect_timeout=2) as connection:
                    connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                break
            except psycopg.OperationalError:
                time.sleep(0.2)


def fresh_cache_url(tmp: Path) -> str:
    """The run's cache kind (file or Redis), but empty and for this site alone."""
    url = os.environ.get("CACHE_URL", "")
    if url.startswith("file://") or not url:
        return f"file://{tmp / 'cache'}"
    # Redis: another logical database of the run's server (urlunsplit would drop unix://'s "//").
    return url.partition("?")[0] + "?db=1"


@contextmanager
def served_site(**extra_env: str) -> Iterator[ServedSite]:
    with tempfile.TemporaryDirectory(prefix="ruspolitikk-served-") as tmp_name:
        tmp = Path(tmp_name)
        with fresh_database(tmp) as database_url:
            # make serve's environment, as the benchmark builds it, for plain HTTP on loopback
            # without collected static files; the run's kind of cache, empty, for this site alone.
            env = production_environment(database_url, cache_dir=tmp / "cache")
            env.update(
                STATIC_MANIFEST="0",
                SECURE_COOKIES="0",  # the admin's cookies must come back over plain HTTP
                SECURE_SSL_REDIRECT="0",
                WEB_CONCURRENCY="2",  # two workers, make serve's threads each
                CACHE_URL=fresh_cache_url(tmp),
            )
            env.update(extra_env)
            manage(env, "migrate", "--no-input", "-v", "0")
            manage(env, "load_data", "-v", "0")
            username, password = EDITOR
            manage(
                env,
                "shell",
                "--no-imports",
                "-c",
                "from django.contrib.auth.models import Group, User; "
                f"u = User.objects.create_user({username!r}, password={password!r}, is_staff=True); "
                "u.groups.add(Group.objects.get(name='Redaktør'))",
            )
            manage(
                env,
                "shell",
                "--no-imports",
                "-c",
                "from django.core.cache import caches; [caches[a].clear() for a in caches]",
            )
            log_path = tmp / "gunicorn.log"
            with gunicorn(env, page_cache=True, log_path=log_path) as server:
                yield ServedSite(server.port, env, log_path)


class AdminSession:
    """An editor logged in to the served site's admin over HTTP, with cookies and CSRF as a browser."""

    def __init__(self, site: ServedSite):
        self.site = site
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))
        page = self.open("/admin/login/?next=/admin/")
        username, password = EDITOR
        response = self.post(
            "/admin/login/?next=/admin/",
            {"username": username, "password": password, "next": "/admin/", **self.csrf(page)},
        )
        if "/admin/login/" in response.geturl():
            raise RuntimeError("could not log in to the admin")

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.site.port}{path}"

    def open(self, path: str) -> str:
        with self.opener.open(self.url(path), timeout=20) as response:
            return response.read().decode()

    def post(self, path: str, data: dict):
        body = urllib.parse.urlencode(data, doseq=True).encode()
        request = urllib.request.Request(self.url(path), data=body, headers={"Referer": self.url(path)})
        response = self.opener.open(request, timeout=20)
        response.read()
        return response

    @staticmethod
    def csrf(html: str) -> dict[str, str]:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if not match:
            raise RuntimeError("no CSRF token on the page")
        return {"csrfmiddlewaretoken": match.group(1)}

    def run_action(self, model: str, action: str, pks: list[int]):
        """Select rows on a changelist and run an admin action, as the editor's browser would."""
        path = f"/admin/positions/{model}/"
        page = self.open(path)
        return self.post(path, {"action": action, "index": "0", "_selected_action": pks, **self.csrf(page)})
