"""Bokmål by default, English one link away at /en/…; quotes are never translated."""

import pytest

from positions.models import Stance

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]


def test_bokmal_is_the_default(client):
    response = client.get("/")
    html = response.content.decode()
    assert '<html lang="nb">' in html
    assert "Hva mener partiene om ruspolitikk?" in html
    assert response["Content-Language"] == "nb"


def test_the_language_switch_is_a_plain_link_to_the_same_page_and_question(client):
    html = client.get("/tema/lar/", {"niva": "county"}).content.decode()
    assert '<a href="/en/tema/lar/?niva=county" hreflang="en" lang="en">English</a>' in html
    assert "<form" not in html.split('class="site-footer"')[1]
    assert "csrfmiddlewaretoken" not in html
    back = client.get("/en/tema/lar/", {"niva": "county"}).content.decode()
    assert '<a href="/tema/lar/?niva=county" hreflang="nb" lang="nb">Norsk bokmål</a>' in back


def test_the_switch_links_the_canonical_question_not_the_raw_query(client):
    html = client.get("/", {"tema": ["lar", "har", "lar"], "utm_source": "x"}).content.decode()
    assert 'href="/en/?tema=har&amp;tema=lar"' in html


def test_english_translates_the_interface_not_the_quotes(client):
    response = client.get("/en/parti/frp/tema/har/")
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "against" in html
    assert "Fremskrittspartiet (national)" in html
    stance = Stance.objects.published().get(organisation__slug="frp", topic__slug="har")
    for statement in stance.evidence.all():
        assert statement.text in html
    home = client.get("/en/").content.decode()
    assert "Where do the parties stand on drug policy?" in home
    assert "not stated" in home
    assert 'href="/en/parti/frp/tema/har/"' in home  # links stay in English


def test_english_error_messages(client):
    response = client.get("/en/", {"standpunkt": "foo"})
    assert response.status_code == 400
    assert "was not understood" in response.content.decode()
