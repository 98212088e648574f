"""The database in a web request: a deadline for every query, a 503 when it cannot answer.

``QueryDeadlineMiddleware``: Django's documented ``execute_wrapper`` puts the watchdog
(``ruspolitikk.db.deadline``) around each query of the request on PostgreSQL (``DATABASE_DEADLINE``;
commands get none). A query cut off raises a database error.

``DatabaseUnavailableMiddleware``: a connection-level database error raised by a view is answered
with the 503 page (``ruspolitikk.db.views``), with DEBUG on as well as off, and logged with its
traceback; ``handler500`` answers the same errors raised outside views.
"""

import logging
from contextlib import ExitStack

from django.conf import settings
from django.db import connections

from .deadline import watchdog
from .views import database_unavailable, is_unavailable

logger = logging.getLogger(__name__)


def _guard(execute, sql, params, many, context):
    with watchdog.guard(context["connection"].connection.fileno(), settings.DATABASE_DEADLINE):
        return execute(sql, params, many, context)


class QueryDeadlineMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.aliases = [
            alias for alias, config in settings.DATABASES.items() if "postgresql" in config["ENGINE"]
        ]

    def __call__(self, request):
        with ExitStack() as stack:
            for alias in self.aliases:
                stack.enter_context(connections[alias].execute_wrapper(_guard))
            return self.get_response(request)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_unavailable(exception):
            return None
        logger.warning("Database unavailable for %s: %s", request.path, exception, exc_info=exception)
        return database_unavailable(request)
