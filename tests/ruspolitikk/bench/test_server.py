"""The production-like server: its environment, its log, and one real run under wrk.

The real run starts gunicorn with ruspolitikk/gunicorn.conf.py on a fresh SQLite file, exactly as
``make bench`` does, and loads it with wrk for a second. ``make test`` installs wrk
(.ci/install-bench-deps); a bare ``pytest`` without wrk skips it with the reason.
"""

import os
import re
import shutil

import pytest
from django.conf import settings

from ruspolitikk.bench import wrk
from ruspolitikk.bench.server import (
    PROXY_HEADERS,
    Server,
    gunicorn,
    gunicorn_settings,
    prepare,
    production_environment,
)


def test_production_environment_ignores_the_callers_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("DEBUG", "1")
    monkeypatch.setenv("SECURE_SSL_REDIRECT", "0")
    monkeypatch.setenv("STATIC_MANIFEST", "0")
    monkeypatch.setenv("PAGE_CACHE", "0")
    monkeypatch.setenv("WEB_CONCURRENCY", "7")

    env = production_environment("sqlite:////tmp/x.sqlite3", cache_dir=tmp_path)

    assert env["DEBUG"] == "0"
    assert "SECURE_SSL_REDIRECT" not in env  # production's default: on
    assert env["SECURE_PROXY_SSL_HEADER"] == "HTTP_X_FORWARDED_PROTO,https"
    assert env["STATIC_MANIFEST"] == "1"
    assert "PAGE_CACHE" not in env  # each server start chooses
    assert env["CACHE_URL"] == f"file://{tmp_path}"
    assert len(env["SECRET_KEY"]) >= 50
    assert env["WEB_CONCURRENCY"] == "7"  # the server's shape is the caller's to choose


def test_last_error_is_the_exception_line_of_the_last_traceback(tmp_path):
    log = tmp_path / "gunicorn.log"
    log.write_text(
        "Internal Server Error: /\n"
        "Traceback (most recent call last):\n"
        '  File "x.py", line 1, in <module>\n'
        "KeyError: 'first'\n"
        "Internal Server Error: /tema/lar/\n"
        "Traceback (most recent call last):\n"
        '  File "x.py", line 1, in <module>\n'
        "    raise ValueError\n"
        "ValueError: Missing staticfiles manifest entry for 'css/site.css'\n"
        "[INFO] Worker exiting\n"
    )

    assert Server(1, log).last_error() == "ValueError: Missing staticfiles manifest entry for 'css/site.css'"
    log.write_text("[INFO] Booting worker\n")
    assert Server(1, log).last_error() == ""


def test_gunicorn_settings_are_read_in_the_given_environment():
    env = {"PATH": os.environ["PATH"], "WEB_CONCURRENCY": "5", "GUNICORN_THREADS": "2"}
    before = dict(os.environ)

    config = gunicorn_settings(env)

    assert (config["workers"], config["threads"], config["worker_class"]) == (5, 2, "gthread")
    assert dict(os.environ) == before


@pytest.fixture
def wrk_installed():
    if shutil.which("wrk"):
        return
    required = any(
        os.environ.get(name, "").lower() in {"1", "true", "yes"} for name in ("CI", "BENCH_TESTS_REQUIRED")
    )
    message = "wrk is not installed (make test installs it: .ci/install-bench-deps)"
    if required:
        pytest.fail(message)
    pytest.skip(message)


@pytest.mark.usefixtures("wrk_installed")
def test_gunicorn_serves_the_app_as_production_and_wrk_measures_it(tmp_path):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("runs once, in the SQLite leg: it makes its own SQLite database either way")
    env = production_environment(f"sqlite:///{tmp_path / 'bench.sqlite3'}", cache_dir=tmp_path / "cache")
    env.update(WEB_CONCURRENCY="1", GUNICORN_THREADS="2")
    prepare(env, log=lambda line: None)

    with gunicorn(env, page_cache=False, log_path=tmp_path / "gunicorn.log") as server:
        behind_proxy = server.get("/")
        plain_http = server.get("/", headers={"X-Forwarded-Proto": "http"})
        stylesheet = re.search(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', server.get("/").body)
        css = server.get(stylesheet.group(1).decode())
        grid = wrk.run(server.url("/"), connections=2, duration_s=1, headers=PROXY_HEADERS)
        missing = wrk.run(
            server.url("/parti/finnes-ikke/"), connections=1, duration_s=1, headers=PROXY_HEADERS
        )
        log = server.log_text()

    assert behind_proxy.status == 200
    assert behind_proxy.headers["strict-transport-security"] == "max-age=31536000; includeSubDomains; preload"
    assert plain_http.status == 301
    assert plain_http.headers["location"].startswith("https://127.0.0.1")
    assert css.status == 200  # hashed names from the manifest, cached for ever
    assert css.headers["cache-control"] == "max-age=315360000, public, immutable"
    assert grid.requests > 0
    assert grid.error_count == 0
    assert 0 < grid.p50_ms <= grid.p95_ms <= grid.p99_ms
    assert missing.requests > 0
    assert missing.errors["status"] == missing.requests  # every 404 counted as an error
    assert "Serving from SQLite" in log
    assert "Using worker: gthread" in log
