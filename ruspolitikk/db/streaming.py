"""A deadline for the queries of a streamed body, which run after the view has returned.

``QueryDeadlineMiddleware`` guards the queries of a request while the view runs; a
``StreamingHttpResponse`` reads the rest of its data later, as the server sends the body, when that
middleware has long returned. ``bounded_stream`` gives each query run while the next piece is made
its own deadline, ``DATABASE_STREAM_DEADLINE`` seconds: long enough for any one query of a full
national export (each reads one chunk of organisations), short enough that a hung or runaway query
stops the body instead of holding a worker for ever.

- PostgreSQL: the watchdog (``ruspolitikk.db.deadline``) cuts the socket of a query the server has
  not answered in time, as for a request's queries, and a cancel request then asks a live server to
  stop the query too (a cut socket alone leaves a runaway query running on the server);
- SQLite: a progress handler makes SQLite itself interrupt a statement that runs past its deadline
  (nothing else can hang there: the database is a local file).

A query stopped raises a database error inside the body: the server ends the response early (the
client sees an incomplete download, never a complete-looking one) and the error is logged with the
path it cut short.
"""

import logging
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, connections

from .deadline import DatabaseDeadlineExceeded, watchdog

logger = logging.getLogger(__name__)

SQLITE_PROGRESS_STEPS = 10_000  # virtual machine instructions between two looks at the clock


@contextmanager
def _sqlite_deadline(sqlite_connection, seconds: float):
    deadline = time.monotonic() + seconds
    sqlite_connection.set_progress_handler(lambda: time.monotonic() > deadline, SQLITE_PROGRESS_STEPS)
    try:
        yield
    finally:
        sqlite_connection.set_progress_handler(None, 0)


def _cancel_later(cancel) -> None:
    """Ask the server to stop a query cut off at its deadline (libpq's cancel request, prepared
    before the socket was cut), from a thread of its own: a hung server is not waited for."""

    def send():
        try:
            cancel.cancel()
        except Exception:  # noqa: BLE001 -- best effort: the query is already cut off on our side
            logger.warning("Could not ask the database to cancel a query cut off at its deadline")

    threading.Thread(target=send, name="db-cancel", daemon=True).start()


def _guard(seconds: float):
    def guard(execute, sql, params, many, context):
        connection = context["connection"]
        if connection.vendor == "sqlite":
            with _sqlite_deadline(connection.connection, seconds):
                return execute(sql, params, many, context)
        raw = connection.connection
        cancel = raw.pgconn.get_cancel()
        try:
            with watchdog.guard(raw.fileno(), seconds):
                return execute(sql, params, many, context)
        except DatabaseDeadlineExceeded:
            _cancel_later(cancel)
            raise

    return guard


def bounded_stream(pieces: Iterable, *, seconds: float | None = None, label: str = "") -> Iterator:
    """``pieces`` one at a time, every query run to make one given at most ``seconds``
    (``settings.DATABASE_STREAM_DEADLINE`` by default) on every database."""
    seconds = settings.DATABASE_STREAM_DEADLINE if seconds is None else seconds
    guard = _guard(seconds)
    iterator = iter(pieces)
    while True:
        # What ``connection.execute_wrapper(guard)`` does, without a context manager per piece: an
        # export sends a piece per row, and this is the only work the stream adds to each.
        wrapped = [connections[alias].execute_wrappers for alias in connections]
        for wrappers in wrapped:
            wrappers.append(guard)
        try:
            piece = next(iterator)
        except StopIteration:
            return
        except DatabaseError as error:
            logger.error("Streamed body of %s stopped: %s", label or "a response", error)
            raise
        finally:
            for wrappers in wrapped:
                wrappers.remove(guard)
        yield piece
