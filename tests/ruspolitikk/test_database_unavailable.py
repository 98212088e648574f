"""A database that cannot answer: the watchdog cuts a wait at its deadline, the breaker stops asking
for a moment, and the visitor gets a Norwegian 503 with Retry-After (the real PostgreSQL stopped
and hung under gunicorn: tests/failure/)."""

import os
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import Client

from ruspolitikk.db import deadline
from ruspolitikk.db.deadline import DatabaseDeadlineExceeded, watchdog


@pytest.fixture(autouse=True)
def closed_breaker(monkeypatch):
    monkeypatch.setattr(deadline, "breaker", deadline.Breaker())


def test_a_wait_past_its_deadline_is_cut_and_opens_the_breaker():
    ours, silent_server = socket.socketpair()
    with ours, silent_server:
        started = time.monotonic()
        with pytest.raises(DatabaseDeadlineExceeded), watchdog.guard(ours.fileno(), 0.2):
            assert ours.recv(1) == b""  # blocks until the watchdog shuts the socket down
        assert 0.2 <= time.monotonic() - started < 1.5
        with (
            pytest.raises(DatabaseDeadlineExceeded, match="not asking again"),
            watchdog.guard(ours.fileno(), 5),
        ):
            pytest.fail("the breaker should refuse before the guarded block runs")


def test_a_wait_that_ends_in_time_is_left_alone():
    ours, server = socket.socketpair()
    with ours, server:
        server.sendall(b"x")
        with watchdog.guard(ours.fileno(), 1.0):
            assert ours.recv(1) == b"x"
        time.sleep(0.05)
        server.sendall(b"y")
        assert ours.recv(1) == b"y"  # the socket still works
        deadline.breaker.check()  # and the breaker is closed


def test_guards_wake_the_watchdog_thread_only_when_it_must_look_sooner(monkeypatch):
    """Every query of a request is guarded, so a guard must not switch threads: with a wait of the
    same length already pending, the thread already wakes before any new deadline."""
    dog = deadline.Watchdog()
    notified = []
    real_notify = dog._condition.notify
    monkeypatch.setattr(dog._condition, "notify", lambda *a: notified.append(1) or real_notify(*a))
    ours, server = socket.socketpair()
    with ours, server:
        with dog.guard(ours.fileno(), 5.0):  # the first guard wakes the idle thread
            for _ in range(50):
                with dog.guard(ours.fileno(), 5.0):
                    pass
        assert len(notified) == 1


def test_a_shorter_deadline_after_a_longer_one_is_still_cut_on_time():
    dog = deadline.Watchdog()
    ours, silent_server = socket.socketpair()
    other, other_server = socket.socketpair()
    with ours, silent_server, other, other_server, dog.guard(other.fileno(), 30.0):
        time.sleep(0.05)  # the thread now sleeps until the long deadline
        started = time.monotonic()
        with pytest.raises(DatabaseDeadlineExceeded), dog.guard(ours.fileno(), 0.2):
            assert ours.recv(1) == b""
        assert 0.2 <= time.monotonic() - started < 1.5


def test_the_breaker_closes_by_itself(monkeypatch):
    monkeypatch.setattr(deadline, "BREAKER_SECONDS", 0.1)
    deadline.breaker.trip()
    with pytest.raises(DatabaseDeadlineExceeded):
        deadline.breaker.check()
    time.sleep(0.15)
    deadline.breaker.check()


@pytest.mark.django_db
def test_a_database_error_anywhere_is_a_503_page_not_a_500(monkeypatch):
    def unreachable(**kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr("positions.views.build_grid", unreachable)
    response = Client(raise_request_exception=False).get("/", {"niva": "youth"})
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "Siden er midlertidig utilgjengelig" in html and '<html lang="nb">' in html


@pytest.mark.django_db
def test_other_errors_stay_500(monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("positions.views.build_grid", broken)
    assert Client(raise_request_exception=False).get("/").status_code == 500


def test_an_answer_waiting_on_the_socket_is_not_cut(monkeypatch):
    """A busy process may read the server's answer late: that is not a silent server."""
    ours, server = socket.socketpair()
    with ours, server:
        server.sendall(b"answer")
        with watchdog.guard(ours.fileno(), 0.1):
            time.sleep(0.35)  # the deadline passes while the answer sits unread
            assert ours.recv(6) == b"answer"
        deadline.breaker.check()


@pytest.mark.django_db
def test_with_debug_on_a_view_the_database_cannot_answer_is_still_a_503(monkeypatch, settings):
    settings.DEBUG = True  # no handler500 then: the middleware answers

    def unreachable(**kwargs):
        raise OperationalError("no such table: parties_organisation")

    monkeypatch.setattr("positions.views.build_grid", unreachable)
    response = Client().get("/")  # the test client would re-raise an unanswered error
    assert response.status_code == 503
    assert "Siden er midlertidig utilgjengelig" in response.content.decode()


def test_a_checkout_without_a_built_database_answers_503_not_500(tmp_path):
    """`manage.py` in a fresh checkout (DEBUG by default) on a database nobody migrated yet."""
    script = (
        "from django.test import Client\n"
        "for path in ['/', '/tema/lar/', '/en/']:\n"
        "    print(path, Client().get(path).status_code)\n"
    )
    env = {
        "PATH": os.environ["PATH"],
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "CACHE_URL": f"file://{tmp_path / 'cache'}",
    }
    completed = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", script],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert completed.stdout.split() == ["/", "503", "/tema/lar/", "503", "/en/", "503"]
