"""A NUL byte anywhere in the address is a 400 with a plain message, on every page and on both
databases (PostgreSQL cannot take it in a query; it used to make the admin answer 500)."""

import pytest

pytestmark = pytest.mark.django_db

MESSAGE = "Adressen inneholder et nulltegn (%00)."


@pytest.mark.parametrize(
    "url",
    [
        "/sok/?q=%00",
        "/sok/?q=sprøyterom%00",
        "/?parti=%00",
        "/?%00=1",
        "/eksport.csv?standpunkt=%00",
        "/kilde/%00/",
        "/parti/ap%00/",
    ],
)
def test_a_nul_in_a_public_address_is_400_in_norwegian(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()


def test_an_encoded_percent_sign_is_ordinary_text(client):
    # %2500 is the three characters "%00", which search may look for like any other text.
    assert client.get("/sok/?q=%2500").status_code == 200


def test_the_message_follows_the_language_of_the_address(client):
    response = client.get("/en/sok/?q=%00")
    assert response.status_code == 400
    assert "The address contains a NUL character (%00)." in response.content.decode()


@pytest.mark.parametrize("url", ["/", "/om/", "/en/tema/lar/", "/finnes-ikke/"])
def test_a_host_not_allowed_is_400_not_500(client, url):
    # The 400 page itself must not ask for the host again (its og:image used to, and answered 500).
    response = client.get(url, HTTP_HOST="evil.example")
    assert response.status_code == 400
    assert "evil.example" not in response.content.decode()
