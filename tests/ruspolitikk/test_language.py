"""The language is in the address: bokmål at /…, English at /en/…; no cookie, no Accept-Language."""

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_an_english_browser_still_gets_bokmal_at_the_plain_address(client):
    response = client.get("/om/", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert response["Content-Language"] == "nb"
    assert '<html lang="nb"' in response.content.decode()
    assert "Accept-Language" not in response.get("Vary", "")


def test_english_lives_under_en(client):
    response = client.get("/en/om/")
    assert response.status_code == 200
    assert response["Content-Language"] == "en"
    assert '<html lang="en"' in response.content.decode()


def test_a_language_cookie_no_longer_chooses_the_language(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/om/")
    assert response["Content-Language"] == "nb"
    assert "Cookie" not in response.get("Vary", "")


def test_an_old_language_form_lands_on_the_english_address(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/om/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/om/"


def test_an_unknown_address_under_en_is_an_english_404(client):
    response = client.get("/en/finnes-ikke/")
    assert response.status_code == 404
    assert '<html lang="en"' in response.content.decode()
