"""Bokmål by default, whatever the browser asks for; English only when chosen."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_an_english_browser_still_gets_bokmal_by_default(client):
    response = client.get("/om/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response["Content-Language"] == "nb"
    assert '<html lang="nb"' in response.content.decode()


def test_choosing_english_with_the_language_form_switches_the_interface(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/om/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    page = client.get("/om/")
    assert page["Content-Language"] == "en"
    assert '<html lang="en"' in page.content.decode()
    assert "Cookie" in page["Vary"]


def test_an_unknown_language_cookie_falls_back_to_bokmal(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert client.get("/om/")["Content-Language"] == "nb"
