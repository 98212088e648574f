"""The run's real PostgreSQL stopped, hung (SIGSTOP) and restarted under a live gunicorn.

Pages that need the database answer 503 with Retry-After quickly (stopped: within 1 s; hung:
within 2 s), cached pages, static files and pages that need no database keep answering 200, and
the site recovers by itself when the database is back. The bounds are the point of these tests;
they are the issue's own figures.
"""

import contextlib
import os
import signal
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connections

from tests.served import served_site

pytestmark = pytest.mark.postgres

CACHED = "/"
NEEDS_DATABASE = "/tema/lar/"
NO_DATABASE = "/en/om/"  # never requested before the failure: rendered without the database
STATIC = "/static/css/site.css"


class PostgresServer:
    """The PostgreSQL server of this test run (started by .ci/with-postgres)."""

    def __init__(self):
        self.datadir = Path(os.environ["TEST_PGDATA"])
        self.pg_ctl = Path(os.environ["TEST_PGBIN"]) / "pg_ctl"
        self.log = os.environ["TEST_PGLOG"]
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _pg_ctl(self, *args: str) -> None:
        subprocess.run([*self.as_owner, str(self.pg_ctl), *args, "-D", str(self.datadir), "-s"], check=True)

    def stop(self) -> None:
        self._pg_ctl("stop", "-m", "fast", "-w")

    def start(self) -> None:
        self._pg_ctl("start", "-w", "-t", "60", "-l", self.log)

    def is_running(self) -> bool:
        return (self.datadir / "postmaster.pid").exists()

    def processes(self) -> list[int]:
        postmaster = int((self.datadir / "postmaster.pid").read_text().split()[0])
        children = subprocess.run(["pgrep", "-P", str(postmaster)], capture_output=True, text=True).stdout
        return [postmaster, *map(int, children.split())]

    def signal_all(self, signum: int) -> None:
        for pid in self.processes():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signum)

    def recover(self) -> None:
        """Running and answering again, and this process's own connections fresh."""
        if self.is_running():
            self.signal_all(signal.SIGCONT)
        else:
            self.start()
        connections.close_all()


@pytest.fixture
def server():
    if "TEST_PGDATA" not in os.environ:
        pytest.skip("needs the run's own PostgreSQL (.ci/with-postgres)")
    return PostgresServer()


@pytest.fixture
def site(server):
    with served_site(DATABASE_DEADLINE="1.0") as site:
        try:
            for path in (CACHED, NEEDS_DATABASE):
                assert site.get(path).status == 200
            yield site
        finally:
            server.recover()  # before served_site drops its database


def wait_until_answered(site, path: str, seconds: float = 20) -> int:
    deadline = time.monotonic() + seconds
    while True:
        status = site.get(path).status
        if status == 200 or time.monotonic() > deadline:
            return status
        time.sleep(0.2)


def assert_unavailable(reply, within: float) -> None:
    assert reply.status == 503
    assert int(reply.headers["Retry-After"]) > 0
    assert "midlertidig utilgjengelig" in reply.body
    assert "no-store" in reply.headers["Cache-Control"]
    assert reply.seconds < within, f"answered after {reply.seconds:.2f} s"


def test_database_stopped_then_restarted(site, server):
    uncached = NEEDS_DATABASE + "?niva=county"  # a question nobody asked before the failure
    server.stop()

    assert_unavailable(site.get(uncached), within=1.0)
    # An editor's session is read from the database: the admin answers 503 too, never 500.
    assert_unavailable(
        site.get("/admin/", {"Cookie": "sessionid=abcdefghijklmnopqrstuvwxyz012345"}), within=1.0
    )
    for path in (CACHED, NEEDS_DATABASE, STATIC, NO_DATABASE):
        reply = site.get(path)
        assert reply.status == 200, (path, reply.status)

    server.start()
    assert wait_until_answered(site, uncached) == 200


def test_database_hung_answers_503_in_time_and_keeps_the_rest_answering(site, server):
    server.signal_all(signal.SIGSTOP)
    try:
        with ThreadPoolExecutor(max_workers=12) as pool:
            # Requests that need the database hold a worker thread for at most the deadline; while
            # they wait, cached pages, static files and pages that need no database are answered
            # by the other threads at once (served_site: 2 workers × 4 threads).
            stuck = [pool.submit(site.get, f"{NEEDS_DATABASE}?niva={level}") for level in ("county", "youth")]
            time.sleep(0.1)
            free = [pool.submit(site.get, path) for path in (CACHED, STATIC, NO_DATABASE, CACHED)]
            for future in free:
                reply = future.result()
                assert reply.status == 200
                assert reply.seconds < 1.0, f"a page that needs no database waited {reply.seconds:.2f} s"
            for future in stuck:
                assert_unavailable(future.result(), within=2.0)
        assert_unavailable(site.get("/sok/?q=lar"), within=2.0)
    finally:
        server.signal_all(signal.SIGCONT)
    assert wait_until_answered(site, NEEDS_DATABASE + "?niva=municipal") == 200
