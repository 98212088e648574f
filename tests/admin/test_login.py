"""Admin login is throttled: five failures lock the username + IP pair (django-axes)."""

from django.test import Client
from django.urls import reverse

LOGIN = reverse("admin:login")


def attempt(client, password):
    return client.post(LOGIN, {"username": "redaktor", "password": password, "next": "/admin/"})


def test_sixth_attempt_is_locked_out_even_with_the_right_password(client, editor):
    statuses = [attempt(client, "feil-passord").status_code for _ in range(5)]
    # The form again with an error four times; the fifth failure locks the pair.
    assert statuses == [200, 200, 200, 200, 429]

    locked = attempt(client, "korrekt-hest-batteri-42")

    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_right_password_logs_in_and_csrf_is_enforced(client, editor):
    response = attempt(client, "korrekt-hest-batteri-42")
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(editor.pk)

    client.logout()
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(LOGIN, {"username": "redaktor", "password": "x"}).status_code == 403
