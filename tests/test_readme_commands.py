"""Every command README.md shows works exactly as written on a fresh checkout.

The commands are read from the README itself: each line of an indented code block, and each
inline code span that starts with ``.venv/bin/python``. Each one is either run here, from the
repository in a subprocess with an environment built from nothing (PATH only, as a new shell
after ``make run``; no DEBUG, no SECRET_KEY), or listed in ``NOT_RUN`` with the reason. A new
command in the README must be added to one or the other, so a command that stops working, or
one nobody checked, fails this test.

``make run``/``make db`` are stood in for by ``migrate`` and ``load_data`` into a throwaway
SQLite file (``DATABASE_URL``), so the repository's own ``db.sqlite3`` is never touched; the
page cache goes to a throwaway directory too.
"""

import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

README = Path(settings.BASE_DIR) / "README.md"

NOT_RUN = {
    "make run": "starts the development server and never returns",
    "make test": "runs this whole suite (with browser tests and a PostgreSQL), this test included",
    "make gate": "the CI gate; make test runs it first, and it runs build_fixtures --check, run here",
    'make test-sqlite PYTEST_ARGS="tests/site"': "runs part of this suite",
    '.ci/with-postgres .venv/bin/python -m pytest -m "not browser"': "runs this suite on a PostgreSQL",
    ".venv/bin/python -m pytest -m browser": "runs the browser tests of this suite",
    ".venv/bin/python manage.py build_fixtures": (
        "rewrites fixtures/*.json in the checkout; its read-only twin --check is run"
    ),
    "SECRET_KEY=… ALLOWED_HOSTS=ruspolitikk.no DATABASE_URL=postgres://… "
    "SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https BIND=0.0.0.0:8000 make serve": (
        "starts the production server, with placeholders for the secret and the database"
    ),
}

# Commands that ask questions get the answers Django reads from the environment; the command
# line itself stays as the README writes it, plus --noinput.
NON_INTERACTIVE = {
    ".venv/bin/python manage.py createsuperuser": {
        "DJANGO_SUPERUSER_USERNAME": "redaktor",
        "DJANGO_SUPERUSER_PASSWORD": "korrekt-hest-batteri-42",
        "DJANGO_SUPERUSER_EMAIL": "redaktor@example.org",
    },
}

COMMAND_START = re.compile(r"^(?:\.venv/|\.ci/|make\b|[A-Z_]+=)")


def readme_commands() -> list[str]:
    """The command lines README.md shows, in order, comments and continuation backslashes removed."""
    commands, pending = [], ""
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.startswith("    ") and not line.lstrip().startswith("|"):
            text = pending + line.strip()
            pending = ""
            if text.endswith("\\"):
                pending = text[:-1].rstrip() + " "
                continue
            text = re.sub(r"\s+#\s.*$", "", text).strip()
            if COMMAND_START.match(text):
                commands.append(text)
        for span in re.findall(r"`([^`]+)`", line):
            if span.startswith(".venv/bin/python ") and span not in commands:
                commands.append(span)
    return commands


def test_the_readme_commands_are_found():
    commands = readme_commands()
    assert ".venv/bin/python manage.py createsuperuser" in commands
    assert ".venv/bin/python manage.py build_fixtures --check" in commands
    assert "make run" in commands
    assert not any(command.startswith("fixtures/") for command in commands)  # the data-flow diagram


def test_every_readme_command_is_run_or_skipped_for_a_stated_reason():
    unclassified = [command for command in readme_commands() if command not in NOT_RUN]
    stale = [command for command in NOT_RUN if command not in readme_commands()]
    assert not stale, f"NOT_RUN lists commands the README no longer shows: {stale}"
    assert all(COMMAND_START.match(command) for command in unclassified)


@pytest.fixture(scope="module")
def fresh_checkout_environment(tmp_path_factory):
    """A new shell after `make run`: PATH only, a database migrated and loaded like `make db`."""
    directory = tmp_path_factory.mktemp("readme")
    environment = {
        "PATH": os.environ["PATH"],
        "HOME": str(directory),
        "DATABASE_URL": f"sqlite:///{directory / 'db.sqlite3'}",
        "CACHE_URL": f"file://{directory / 'cache'}",
    }
    for step in (["migrate", "--no-input", "-v", "0"], ["load_data", "-v", "0"]):
        completed = subprocess.run(
            [sys.executable, "manage.py", *step],
            cwd=settings.BASE_DIR,
            env={**environment, "DEBUG": "1"},  # what make db passes
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert completed.returncode == 0, completed.stderr
    return environment


def run_as_written(command: str, environment: dict) -> subprocess.CompletedProcess:
    extra = NON_INTERACTIVE.get(command)
    line = f"{command} --noinput" if extra else command
    # .venv/bin/python in the README is this test run's interpreter (the checkout's .venv).
    line = line.replace(".venv/bin/python", sys.executable, 1)
    return subprocess.run(
        ["/bin/bash", "-c", line],
        cwd=settings.BASE_DIR,
        env={**environment, **(extra or {})},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize("command", [c for c in readme_commands() if c not in NOT_RUN])
def test_readme_command_works_as_written(command, fresh_checkout_environment):
    completed = run_as_written(command, fresh_checkout_environment)

    assert completed.returncode == 0, f"{command}\n{completed.stderr[-2000:]}"
    assert "Traceback" not in completed.stderr, completed.stderr[-2000:]
    if command.endswith("createsuperuser"):
        database = fresh_checkout_environment["DATABASE_URL"].removeprefix("sqlite:///")
        with sqlite3.connect(database) as connection:
            rows = connection.execute("SELECT is_superuser FROM auth_user WHERE username = 'redaktor'")
            assert rows.fetchall() == [(1,)]
    if "export_positions --format csv" in command:
        assert completed.stdout.splitlines()[0].startswith("organisation")
        assert len(completed.stdout.splitlines()) > 100


def test_manage_py_outside_local_development_still_refuses_to_start_without_a_secret_key():
    """The local default is only for a shell that set neither DEBUG nor SECRET_KEY."""
    for environment in ({"DEBUG": "0"}, {"SECRET_KEY": "x" * 50}):
        completed = subprocess.run(
            [sys.executable, "manage.py", "check"],
            cwd=settings.BASE_DIR,
            env={"PATH": os.environ["PATH"], **environment},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert completed.returncode != 0
        assert "ImproperlyConfigured" in completed.stderr
