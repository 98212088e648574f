"""Admin login throttling (django-axes): whose address, which locks, and the lockout page.

- **The address** is ``REMOTE_ADDR``. Behind reverse proxies, ``TRUSTED_PROXY_COUNT`` (settings)
  says how many there are; each appends the address it got the request from to
  ``X-Forwarded-For``, so the client's is the n-th from the right. Whatever stands left of it the
  client wrote itself, and without trusted proxies the header is ignored: nobody can pose as
  another address, to escape a lock or to lock an editor out.
- **Two locks**, each with its own limit (``LOGIN_FAILURE_LIMITS`` in settings): one username
  from one address, and one address whatever the usernames. django-axes compares a single count
  with ``AXES_FAILURE_LIMIT`` for all its locks; ``LoginThrottleHandler`` gives it each lock's
  count on that scale. A successful login forgets only that username's failures.
- **The lockout page** (``templates/lockout.html``) is Norwegian, status 429, with
  ``Retry-After`` set to the seconds until the lock lifts.
"""

import ipaddress
import math
from datetime import datetime, timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_lockout_parameters
from axes.models import AccessAttempt
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone


def is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def client_address(request) -> str | None:
    """The client's address (``AXES_CLIENT_IP_CALLABLE``); see the module's docstring."""
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if not proxies:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(forwarded) >= proxies and is_address(forwarded[-proxies]):
        return forwarded[-proxies]
    return remote  # a proxy that did not say whom it forwards: count it as the client


def lock_key(parameters) -> tuple[str, ...]:
    """``["username", "ip_address"]`` or ``"ip_address"`` as a key of LOGIN_FAILURE_LIMITS."""
    return (parameters,) if isinstance(parameters, str) else tuple(parameters)


def release_time(attempts: list[tuple[datetime, int]], limit: int, cool_off: timedelta) -> datetime | None:
    """When a lock over ``attempts`` ((time of last failure, failures) rows, as django-axes keeps
    them) lifts: each row stops counting ``cool_off`` after its time; the lock lifts once the rows
    still counting hold fewer than ``limit`` failures. None if it is not locked."""
    remaining = sum(failures for _time, failures in attempts)
    if remaining < limit:
        return None
    for time, failures in sorted(attempts):
        remaining -= failures
        if remaining < limit:
            return time + cool_off
    return None  # unreachable: the loop ends with nothing remaining


class LoginThrottleHandler(AxesDatabaseHandler):
    """django-axes' database handler with a limit per lock (see the module's docstring)."""

    def locks(self, request, credentials=None):
        """(limit, attempts queryset) for each lock, attempts within the cool-off only."""
        parameters = get_lockout_parameters(request, credentials)
        attempts = self.get_user_attempts(request, credentials)
        return [
            (settings.LOGIN_FAILURE_LIMITS[lock_key(lock)], queryset)
            for lock, queryset in zip(parameters, attempts, strict=True)
        ]

    def get_failures(self, request, credentials=None) -> int:
        """The failures of the lock nearest its own limit, scaled to AXES_FAILURE_LIMIT: the result
        reaches AXES_FAILURE_LIMIT exactly when some lock reaches its own limit."""
        scale = settings.AXES_FAILURE_LIMIT
        counts = [
            (sum(queryset.values_list("failures_since_start", flat=True)), limit)
            for limit, queryset in self.locks(request, credentials)
        ]
        return max(failures * scale // limit for failures, limit in counts)

    def retry_after(self, request, credentials=None) -> int:
        """Seconds until every lock on this request has lifted (0 if none holds)."""
        cool_off, now = get_cool_off(request), timezone.now()
        releases = [
            release_time(list(queryset.values_list("attempt_time", "failures_since_start")), limit, cool_off)
            for limit, queryset in self.locks(request, credentials)
        ]
        latest = max((release for release in releases if release), default=now)
        return max(0, math.ceil((latest - now).total_seconds()))

    def reset_user_attempts(self, request, credentials=None) -> int:
        """After a successful login, forget that username's failures from this address only:
        the address keeps the failures it made with other usernames."""
        username = get_client_username(request, credentials)
        attempts = AccessAttempt.objects.filter(username=username, ip_address=request.axes_ip_address)
        deleted, _by_model = attempts.delete()
        return deleted


def lockout_response(request, original_response=None, credentials=None):
    """The lockout page (``AXES_LOCKOUT_CALLABLE``): Norwegian, 429, ``Retry-After``."""
    seconds = max(1, LoginThrottleHandler().retry_after(request, credentials))
    response = render(
        request, "lockout.html", {"minutes": math.ceil(seconds / 60)}, status=settings.AXES_HTTP_RESPONSE_CODE
    )
    response["Retry-After"] = str(seconds)
    return response
