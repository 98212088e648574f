"""Django's PostgreSQL backend, with bounded waits for a server that stops answering.

- Connecting (and setting up the session) runs in a helper thread and is given up after
  ``DATABASE_DEADLINE`` seconds: libpq's own ``connect_timeout`` cannot be set below 2 s and a
  stopped server accepts the socket and then says nothing. A connection that arrives too late is
  closed.
- The health check before reusing a persistent connection, commits and rollbacks are guarded by the
  watchdog (``ruspolitikk.db.deadline``); queries inside a web request are guarded by
  ``ruspolitikk.db.middleware``.
- While the breaker is open, no connection is attempted at all.
"""

from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django.conf import settings
from django.db.backends.postgresql import base

from ..deadline import DatabaseDeadlineExceeded, breaker, watchdog

_connector = ThreadPoolExecutor(max_workers=4, thread_name_prefix="db-connect")


def _close_late_connection(future) -> None:
    if future.exception() is None:
        future.result().close()


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params):
        breaker.check()

        def connect():
            connection = super(DatabaseWrapper, self).get_new_connection(conn_params)
            # Setting the session's time zone is a query, so it belongs inside the deadline; in
            # autocommit (Django's default, set next anyway) it leaves no transaction open, and
            # init_connection_state then finds nothing left to set.
            connection.autocommit = self.settings_dict["AUTOCOMMIT"]
            self._configure_connection(connection)
            return connection

        future = _connector.submit(connect)
        try:
            return future.result(timeout=settings.DATABASE_DEADLINE)
        except FutureTimeout:
            future.add_done_callback(_close_late_connection)
            breaker.trip()
            raise DatabaseDeadlineExceeded(
                f"could not connect to the database within {settings.DATABASE_DEADLINE:g} s"
            ) from None

    def _guarded(self):
        return watchdog.guard(self.connection.fileno(), settings.DATABASE_DEADLINE)

    def is_usable(self):
        if self.connection is None:
            return False
        try:
            with self._guarded():
                return super().is_usable()
        except (DatabaseDeadlineExceeded, base.Database.Error):
            return False

    def _commit(self):
        if self.connection is None:
            return super()._commit()
        with self._guarded():
            return super()._commit()

    def _rollback(self):
        if self.connection is None:
            return super()._rollback()
        with self._guarded():
            return super()._rollback()
