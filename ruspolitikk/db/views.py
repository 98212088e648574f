"""The answer when the database cannot answer: 503 with Retry-After, not a 500.

A connection-level database error (the server stopped, restarting, hung past its deadline, or a
database not yet migrated) gets a friendly Norwegian page that needs no database, status 503 and
``Retry-After``; anything else is the ordinary 500 page. Two ways in, one answer:
``ruspolitikk.db.middleware.DatabaseUnavailableMiddleware`` for errors raised by a view (with
DEBUG on too), and ``handler500`` for those raised anywhere else, middleware and the admin's
session included (Django calls it while the exception is being handled).
"""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.views.defaults import server_error as django_server_error


def is_unavailable(error: BaseException | None) -> bool:
    return isinstance(error, OperationalError | InterfaceError)


def server_error(request):
    if is_unavailable(sys.exception()):
        return database_unavailable(request)
    return django_server_error(request)


def database_unavailable(request) -> HttpResponse:
    response = HttpResponse(render_to_string("503.html", request=request), status=503)
    response["Retry-After"] = str(settings.DATABASE_RETRY_AFTER)
    add_never_cache_headers(response)
    return response
