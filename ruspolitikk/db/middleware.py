"""Every query of a web request gets a deadline (``DATABASE_DEADLINE``); commands get none.

Django's documented ``execute_wrapper`` puts the watchdog (``ruspolitikk.db.deadline``) around each
query of the request on PostgreSQL. A query cut off raises a database error, which
``ruspolitikk.db.views.server_error`` answers with a 503.
"""

from contextlib import ExitStack

from django.conf import settings
from django.db import connections

from .deadline import watchdog


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
