"""Admin login is throttled (django-axes, ruspolitikk/login_throttle.py): five failures lock a
username from one address, twenty lock the address whatever the usernames; the address comes
from X-Forwarded-For only through trusted proxies; the lockout page is Norwegian with Retry-After."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from ruspolitikk.login_throttle import client_address, release_time

LOGIN = reverse("admin:login")
PASSWORD = "korrekt-hest-batteri-42"


def attempt(client, password, username="redaktor", **headers):
    return client.post(LOGIN, {"username": username, "password": password, "next": "/admin/"}, **headers)


def test_sixth_attempt_is_locked_out_even_with_the_right_password(client, editor):
    statuses = [attempt(client, "feil-passord").status_code for _ in range(5)]
    # The form again with an error four times; the fifth failure locks the pair.
    assert statuses == [200, 200, 200, 200, 429]

    locked = attempt(client, PASSWORD)

    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_right_password_logs_in_and_csrf_is_enforced(client, editor):
    response = attempt(client, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)

    client.logout()
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(LOGIN, {"username": "redaktor", "password": "x"}).status_code == 403


def test_twenty_five_usernames_from_one_address_are_locked(client, editor):
    statuses = [attempt(client, "gjett", username=f"bruker{n}").status_code for n in range(25)]

    assert statuses == [200] * 19 + [429] * 6
    assert attempt(client, PASSWORD).status_code == 429  # the editor too, from this address
    elsewhere = Client(REMOTE_ADDR="192.0.2.10")
    assert attempt(elsewhere, PASSWORD).status_code == 302


def test_a_spoofed_forwarded_for_is_ignored_when_no_proxy_is_trusted(client, editor):
    statuses = [attempt(client, "feil", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code for n in range(5)]

    assert statuses == [200, 200, 200, 200, 429]
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.1"}


def test_behind_one_trusted_proxy_the_address_it_forwards_counts(client, editor, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client wrote the left part itself; the proxy appended the address it saw.
    statuses = [
        attempt(client, "feil", HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 203.0.113.7").status_code for n in range(5)
    ]

    assert statuses == [200, 200, 200, 200, 429]
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    # Another visitor behind the same proxy is not locked out.
    assert attempt(client, PASSWORD, HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 302


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.7", "127.0.0.1"),
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "1.1.1.1, 2001:db8::1", "2001:db8::1"),
        (2, "6.6.6.6, 203.0.113.7, 10.0.0.2", "203.0.113.7"),
        (1, "", "127.0.0.1"),  # a proxy that did not say
        (2, "203.0.113.7", "127.0.0.1"),  # fewer hops than proxies
        (1, "<script>, ' OR 1=1--", "127.0.0.1"),  # not an address
    ],
)
def test_client_address(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().post(LOGIN, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected


def test_the_lockout_page_is_norwegian_and_says_when_to_retry(client, editor):
    for _ in range(5):
        locked = attempt(client, "feil-passord")

    assert locked.status_code == 429
    html = locked.content.decode()
    assert '<html lang="nb"' in html
    assert "For mange mislykkede innlogginger" in html
    assert "Prøv igjen om 60 minutter." in html
    assert 3590 <= int(locked["Retry-After"]) <= 3600  # a fresh lock lasts the hour


def test_retry_after_is_what_remains_of_the_oldest_failures_cool_off(client, editor):
    for n in range(20):
        attempt(client, "gjett", username=f"bruker{n}")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=50))

    locked = attempt(client, "gjett", username="bruker20")

    # 21 failures now; the lock lifts when the two oldest (50 minutes old) expire.
    assert locked.status_code == 429
    assert 590 <= int(locked["Retry-After"]) <= 600
    assert "Prøv igjen om 10 minutter." in locked.content.decode()


def test_a_successful_login_forgets_only_that_usernames_failures(client, editor):
    for n in range(10):
        attempt(client, "gjett", username=f"bruker{n}")
    for _ in range(3):
        attempt(client, "feil")

    assert attempt(client, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="redaktor").exists()
    assert AccessAttempt.objects.filter(username__startswith="bruker").count() == 10


def test_release_time():
    now = timezone.now()
    hour = timedelta(hours=1)
    rows = [(now - timedelta(minutes=m), 1) for m in (50, 40, 30)]
    assert release_time(rows, limit=4, cool_off=hour) is None
    assert release_time(rows, limit=3, cool_off=hour) == now + timedelta(minutes=10)
    assert release_time(rows, limit=2, cool_off=hour) == now + timedelta(minutes=20)
    assert release_time([(now, 5)], limit=5, cool_off=hour) == now + hour


def test_the_lockout_page_is_bokmal_like_the_rest_of_the_admin(client, editor):
    # The admin is not under /en/: an old language cookie changes nothing there.
    client.cookies["django_language"] = "en"
    for _ in range(5):
        locked = attempt(client, "feil-passord")
    assert locked.status_code == 429
    assert "Too many failed logins" not in locked.content.decode()
    assert '<html lang="nb"' in locked.content.decode()
