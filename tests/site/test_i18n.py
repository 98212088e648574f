"""Bokmål by default, English one form away; quotes are never translated."""

import pytest

from positions.models import Stance

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]


def test_bokmal_is_the_default(client):
    response = client.get("/")
    html = response.content.decode()
    assert '<html lang="nb">' in html
    assert "Hva mener partiene om ruspolitikk?" in html
    assert response["Content-Language"] == "nb"


def test_language_form_posts_to_djangos_set_language(client):
    html = client.get("/tema/lar/").content.decode()
    assert '<form class="language-form" action="/i18n/setlang/" method="post">' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert '<input name="next" type="hidden" value="/tema/lar/">' in html


def test_switching_to_english_translates_the_interface_not_the_quotes(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/parti/frp/tema/har/"}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/parti/frp/tema/har/"
    assert '<html lang="en">' in html
    assert "against" in html and "Close" not in html  # stance label translated (panel only on home)
    assert "Fremskrittspartiet (national)" in html
    stance = Stance.objects.published().get(organisation__slug="frp", topic__slug="har")
    for statement in stance.evidence.all():
        assert statement.text in html
    home = client.get("/").content.decode()
    assert "Where do the parties stand on drug policy?" in home
    assert "not stated" in home


def test_english_error_messages(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    response = client.get("/", {"standpunkt": "foo"})
    assert response.status_code == 400
    assert "was not understood" in response.content.decode()
