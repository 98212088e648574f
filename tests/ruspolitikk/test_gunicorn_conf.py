"""ruspolitikk/gunicorn.conf.py: the server's shape follows the cores, and a bad setting stops it."""

import os
import runpy
import subprocess
import sys

import pytest
from django.conf import settings

CONFIG = str(settings.BASE_DIR / "ruspolitikk" / "gunicorn.conf.py")


@pytest.fixture
def clean_env(monkeypatch):
    for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS", "BIND"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_one_worker_per_core_and_one_more_with_four_threads_each(clean_env):
    clean_env.setattr(os, "process_cpu_count", lambda: 6, raising=False)

    config = runpy.run_path(CONFIG)

    assert config["worker_class"] == "gthread"
    assert (config["workers"], config["threads"]) == (7, 4)
    assert (config["timeout"], config["graceful_timeout"], config["keepalive"]) == (30, 30, 5)
    assert config["bind"] == ["127.0.0.1:8000"]
    assert config["preload_app"] is True


def test_the_environment_chooses_workers_threads_and_address(clean_env):
    clean_env.setenv("WEB_CONCURRENCY", "2")
    clean_env.setenv("GUNICORN_THREADS", "8")
    clean_env.setenv("BIND", "0.0.0.0:8080")

    config = runpy.run_path(CONFIG)

    assert (config["workers"], config["threads"], config["bind"]) == (2, 8, ["0.0.0.0:8080"])


@pytest.mark.parametrize("value", ["0", "tre", "-1"])
def test_a_worker_count_that_is_not_a_positive_number_is_refused_by_name(clean_env, value):
    clean_env.setenv("WEB_CONCURRENCY", value)

    with pytest.raises(
        SystemExit, match=f"WEB_CONCURRENCY must be a whole number of at least 1, not '{value}'"
    ):
        runpy.run_path(CONFIG)


def test_gunicorn_refuses_to_start_without_a_secret_key():
    """preload_app: the settings load in the master, so the start fails at once, with the reason."""
    completed = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--config", CONFIG, "--bind", "127.0.0.1:0", "ruspolitikk.wsgi"],
        cwd=settings.BASE_DIR,
        env={"PATH": os.environ["PATH"], "DEBUG": "0", "ALLOWED_HOSTS": "ruspolitikk.no"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert completed.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY is not set" in completed.stderr
    assert "Booting worker" not in completed.stderr
