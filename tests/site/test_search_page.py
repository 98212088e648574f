"""/sok/: what a journalist types finds what was written, and each hit says where its party stands."""

import re

import pytest
from django.db import connection

from positions.grid import build_grid
from tests.site.htmlcheck import check_html

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]

HTMX = {"HTTP_HX_REQUEST": "true"}
CELL_AND_BADGE = re.compile(
    r'<a href="/parti/(?P<organisation>[a-z0-9-]+)/tema/(?P<topic>[a-z0-9-]+)/">[^<]+</a>\s*'
    r'<span class="badge badge-(?P<value>[a-z]+)'
)


def hits(html: str) -> list[str]:
    """Each hit's HTML, in order."""
    return re.split(r'<li class="hit[ "]', html)[1:]


def sources_of(html: str) -> list[str]:
    return re.findall(r'href="(/kilde/[a-z0-9-]+/#u\d+)"', html)


@pytest.mark.parametrize("query", ["sproyterom", "sproeyterom", "SPROYTEROM"])
def test_injection_rooms_are_found_without_a_norwegian_keyboard(client, query):
    typed_without = client.get("/sok/", {"q": query}).content.decode()
    written = client.get("/sok/", {"q": "sprøyterom"}).content.decode()
    assert sources_of(typed_without) == sources_of(written) != []
    assert "<mark>sprøyterom</mark>" in typed_without.lower()


def test_each_hit_shows_its_topics_with_the_stance_and_a_link_to_the_cell(client):
    html = client.get("/sok/", {"q": "sprøyterom"}).content.decode()
    red = next(hit for hit in hits(html) if 'href="/parti/r/"' in hit)
    assert "Standpunktet til Rødt:" in red
    shown = {(m["organisation"], m["topic"]): m["value"] for m in CELL_AND_BADGE.finditer(red)}
    assert shown[("r", "sproyterom")] == "for"


def test_every_stance_shown_with_a_hit_is_the_published_cell(client):
    html = client.get("/sok/", {"q": "behandling", "niva": ["national", "county", "municipal", "youth"]})
    html = html.content.decode()
    shown = {(m["organisation"], m["topic"]): m["value"] for m in CELL_AND_BADGE.finditer(html)}
    assert len(shown) > 10
    grid = build_grid(levels=None, with_quotes=False)
    published = {(cell.organisation.slug, cell.topic.slug): cell.value for cell in grid}
    assert shown == {key: published[key] for key in shown}
    assert {"for", "none"} <= set(shown.values())


def test_the_hits_with_their_stances_cost_a_fixed_number_of_queries(client, django_assert_num_queries):
    # The search (PostgreSQL: one query and the topics; SQLite: three) and the grid's one read
    # (four), however many hits; the filter form reuses the organisations and topics the grid read.
    search_queries = 2 if connection.vendor == "postgresql" else 3
    for query, at_least in [("behandling", 20), ("sprøyterom", 3), ("LAR", 1)]:
        with django_assert_num_queries(search_queries + 4):
            response = client.get("/sok/", {"q": query})
        assert len(hits(response.content.decode())) >= at_least


def test_the_result_page_does_not_name_the_engine(client):
    html = client.get("/sok/", {"q": "behandling"}).content.decode()
    assert "postgresql" not in html.lower() and "sqlite" not in html.lower() and "Søkemotor" not in html


@pytest.mark.parametrize("query", ["a", "x", "a b", "-ø"])
def test_a_one_letter_query_asks_for_two_letters(client, query):
    response = client.get("/sok/", {"q": query})
    assert response.status_code == 200
    html = response.content.decode()
    assert "er for kort til å søke på. Skriv minst to bokstaver" in html
    assert 'class="hits"' not in html and "Ingen treff" not in html
    assert check_html(html).errors == []


def test_a_one_letter_query_in_the_fragment_too(client):
    html = client.get("/sok/", {"q": "a"}, **HTMX).content.decode()
    assert "<html" not in html and "Skriv minst to bokstaver" in html


def test_two_letters_are_searched(client):
    html = client.get("/sok/", {"q": "SV"}).content.decode()
    assert "for kort" not in html and "treff for «SV»" in html


def test_the_result_page_is_valid_html(client):
    html = client.get("/sok/", {"q": "sproyterom"}).content.decode()
    assert check_html(html).errors == []


def test_english_pages_say_the_same(client):
    assert "is too short to search for" in client.get("/en/sok/", {"q": "a"}).content.decode()
    assert "Where Rødt stands:" in client.get("/en/sok/", {"q": "sproyterom"}).content.decode()


def test_the_about_page_explains_the_engines_in_one_place(client):
    html = client.get("/om/").content.decode()
    assert 'id="sok"' in html and "PostgreSQLs fulltekstsøk" in html and "o/oe, a/aa og ae" in html


def test_each_hit_names_its_source_with_the_organisation_so_equal_titles_differ(client):
    html = client.get("/sok/", {"q": "rusomsorg"}).content.decode()
    assert "Rusomsorg — Venstre" in html or "Rusomsorg — Senterpartiet" in html
