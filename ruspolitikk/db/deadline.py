"""Deadlines for a database that stops answering, and a breaker that stops asking it for a while.

PostgreSQL's own ``statement_timeout`` cannot help when the server itself is hung (a stopped
process, a frozen host): nothing on the server side runs. And psycopg waits on its socket for as
long as it takes. So a watchdog thread (one per process) keeps the deadline of every guarded wait,
and when one passes while the server has sent nothing, it shuts the connection's socket down: the
blocked call returns at once with a connection error, which the site answers with a 503. If the
answer is already waiting on the socket, the server did its part and the thread is only waiting
for the interpreter (a busy process): the wait gets another deadline instead.

Guarding a query must cost next to nothing, since every query of a web request is guarded: waking
the watchdog thread for each one made the process switch threads twice a query (about a quarter
of the grid's render time on PostgreSQL). So a guard wakes the thread only when its deadline comes
before the thread's next wake-up: with one deadline for every query that is when the thread is
idle, at most once a deadline's length. A guard that ends before the thread wakes is simply
forgotten.

When a deadline passes, the per-process breaker opens for ``BREAKER_SECONDS``: during that time
every new query or connection attempt in this process fails at once instead of waiting out its own
deadline, which keeps workers free for cached pages and static files. It closes by itself, so the
site recovers when the database does. The breaker is an optimisation local to one process; no
other process needs its state.
"""

import math
import os
import select
import socket
import threading
import time
from contextlib import contextmanager

from django.db import OperationalError

BREAKER_SECONDS = 2.0


class DatabaseDeadlineExceeded(OperationalError):
    """The database did not answer within the deadline (or recently failed to)."""


class Breaker:
    def __init__(self):
        self._open_until = 0.0

    def trip(self) -> None:
        self._open_until = time.monotonic() + BREAKER_SECONDS

    def check(self) -> None:
        if time.monotonic() < self._open_until:
            raise DatabaseDeadlineExceeded("the database did not answer a moment ago; not asking again yet")


breaker = Breaker()


def has_answer(fd: int) -> bool:
    """The server has sent something (or closed): reading would not block."""
    try:
        readable, _, _ = select.select([fd], [], [], 0)
    except (OSError, ValueError):
        return True  # closed or gone: the blocked call fails by itself
    return bool(readable)


def shutdown_socket(fd: int) -> None:
    """Make every blocked read or write on this socket return, without closing the descriptor
    its owner still holds (a duplicate is shut down and closed; shutdown acts on the socket)."""
    try:
        duplicate = socket.socket(fileno=os.dup(fd))
    except OSError:
        return
    try:
        duplicate.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        duplicate.close()


class Watchdog:
    """Shuts down the socket of any guarded wait that outlives its deadline."""

    def __init__(self):
        self._condition = threading.Condition()
        self._pending: dict[object, tuple[float, int, float]] = {}
        self._thread: threading.Thread | None = None
        self._wakes_at = math.inf  # when the thread looks again (inf: idle, or not started)

    @contextmanager
    def guard(self, fd: int, seconds: float):
        breaker.check()
        token = object()
        deadline = time.monotonic() + seconds
        with self._condition:
            self._pending[token] = (deadline, fd, seconds)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="db-watchdog", daemon=True)
                self._wakes_at = math.inf
                self._thread.start()
            if deadline < self._wakes_at:
                self._wakes_at = deadline  # the thread may not be waiting yet: it reads this
                self._condition.notify()
        try:
            yield
        finally:
            with self._condition:
                cut = self._pending.pop(token, None) is None
            if cut:
                breaker.trip()
                raise DatabaseDeadlineExceeded(f"the database did not answer within {seconds:g} s")

    def _run(self) -> None:
        while True:
            with self._condition:
                now = time.monotonic()
                cut = []
                for token, (deadline, fd, seconds) in list(self._pending.items()):
                    if deadline > now:
                        continue
                    if has_answer(fd):
                        self._pending[token] = (now + seconds, fd, seconds)
                    else:
                        del self._pending[token]
                        cut.append(fd)
                if not cut:
                    self._wakes_at = min(
                        (deadline for deadline, _fd, _seconds in self._pending.values()), default=math.inf
                    )
                    self._condition.wait(
                        timeout=None if self._wakes_at == math.inf else max(0.0, self._wakes_at - now)
                    )
            for fd in cut:
                shutdown_socket(fd)


watchdog = Watchdog()
