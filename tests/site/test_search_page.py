"""/sok/: what a journalist types finds what was written, and each hit says where its party stands."""

import re

import pytest
from django.db import connection
from django.http import QueryDict

from positions.filters import search_query
from positions.grid import build_grid
from positions.search import count_statements
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
    # The search, counted as it ranks (SQLite: the matches' ids and their scores in two queries, the
    # page's statements, their topics; PostgreSQL: the matches ranked and paged, the page's
    # statements, their topics), the hits' stances (one) and the form's organisations and topics
    # (two), however many hits and on any page.
    search_queries = 3 if connection.vendor == "postgresql" else 4
    for query, at_least in [("behandling", 20), ("sprøyterom", 3), ("LAR", 1)]:
        with django_assert_num_queries(search_queries + 3):
            response = client.get("/sok/", {"q": query})
        assert len(hits(response.content.decode())) >= at_least
    with django_assert_num_queries(search_queries + 3):
        client.get("/sok/", {"q": "behandling", "side": "2"})


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


ALL_LEVELS = {"niva": ["national", "county", "municipal", "youth"]}


def test_hits_come_twenty_a_page_with_links_that_keep_the_query_and_filters(client):
    total = count_statements("behandling", levels=ALL_LEVELS["niva"])
    assert total > 20  # the seed has enough for two pages
    first = client.get("/sok/", {"q": "behandling", **ALL_LEVELS}).content.decode()
    second = client.get("/sok/", {"q": "behandling", "side": "2", **ALL_LEVELS}).content.decode()
    assert len(hits(first)) == 20 and len(hits(second)) == min(20, total - 20)
    assert not set(sources_of(first)) & set(sources_of(second))
    assert f"Viser 21–{min(40, total)} av {total} treff for «behandling»" in second
    assert f"Viser 1–20 av {total} treff for «behandling»" in first
    levels = "&amp;niva=national&amp;niva=county&amp;niva=municipal&amp;niva=youth"
    # plain links (no JavaScript) and htmx swaps of the hits alone, both keeping every filter
    assert f'href="/sok/?q=behandling{levels}&amp;side=2#hits"' in first
    assert f'data-hx-get="/sok/?q=behandling{levels}&amp;side=2"' in first
    assert f'href="/sok/?q=behandling{levels}#hits" rel="prev"' in second
    fragment = client.get("/sok/", {"q": "behandling", "side": "2", **ALL_LEVELS}, **HTMX).content.decode()
    assert "<html" not in fragment and "Viser 21–" in fragment and 'aria-current="page"' in fragment
    assert check_html(second).errors == []


def test_one_page_of_hits_has_no_page_links(client):
    html = client.get("/sok/", {"q": "LAR"}).content.decode()
    assert 'class="pagination"' not in html and "treff for «LAR»" in html and "Viser" not in html


@pytest.mark.parametrize("side", ["0", "abc", "-1", "1.5"])
def test_a_bad_page_number_is_a_400_in_norwegian(client, side):
    response = client.get("/sok/", {"q": "behandling", "side": side})
    assert response.status_code == 400
    assert "Sidetallet" in response.content.decode()


def test_a_page_past_the_last_is_a_404_that_says_so(client):
    response = client.get("/sok/", {"q": "behandling", "side": "999"})
    assert response.status_code == 404
    assert "så side 999 finnes ikke" in response.content.decode()


def test_the_page_is_part_of_the_canonical_search_query():
    assert search_query(QueryDict("side=1&q=lar")) == "q=lar"
    assert search_query(QueryDict("side=2&niva=county&q=lar")) == search_query(
        QueryDict("q=lar&niva=county&side=02")
    )
    assert search_query(QueryDict("side=2&q=lar")) == "q=lar&side=2"


def test_the_about_page_says_where_the_two_engines_differ(client):
    html = client.get("/om/").content.decode()
    assert "ts_rank i PostgreSQL og med bm25 i SQLite" in html and "FTS5" in html
    assert "Treffene vises 20 om gangen" in html
    english = client.get("/en/om/").content.decode()
    assert "Where the two search engines differ" in english and "Results are shown 20 at a time" in english


# --- past the ranked limit (search.MAX_RANKED, 1,000; a small one here) ----------------------------


def test_past_the_ranked_limit_the_count_says_over_and_the_pages_stop_there(client, monkeypatch):
    assert count_statements("behandling", levels=ALL_LEVELS["niva"]) > 25
    monkeypatch.setattr("positions.search.MAX_RANKED", 25)
    first = client.get("/sok/", {"q": "behandling", **ALL_LEVELS}).content.decode()
    second = client.get("/sok/", {"q": "behandling", "side": "2", **ALL_LEVELS}).content.decode()
    assert "Viser 1–20 av over 25 treff for «behandling»" in first
    assert "Viser 21–25 av over 25 treff for «behandling»" in second
    assert len(hits(first)) == 20 and len(hits(second)) == 5
    assert not set(sources_of(first)) & set(sources_of(second))
    # the page says what it ranked, with a link to /om/, and the pages stop at the limit
    assert "bare de første 25 søket finner" in first and 'href="/om/#sok"' in first
    assert client.get("/sok/", {"q": "behandling", "side": "3", **ALL_LEVELS}).status_code == 404
    english = client.get("/en/sok/", {"q": "behandling", **ALL_LEVELS}).content.decode()
    assert "Showing 1–20 of over 25 results for “behandling”" in english
    assert 'href="/en/om/#sok"' in english
    assert check_html(first).errors == []


def test_at_most_the_ranked_limit_the_count_is_exact_and_nothing_is_said(client, monkeypatch):
    total = count_statements("behandling", levels=ALL_LEVELS["niva"])
    monkeypatch.setattr("positions.search.MAX_RANKED", total)
    html = client.get("/sok/", {"q": "behandling", **ALL_LEVELS}).content.decode()
    assert f"Viser 1–20 av {total} treff for «behandling»" in html
    assert "av over" not in html and "søket finner, er sortert" not in html


def test_the_about_page_says_how_very_common_words_are_ranked(client):
    html = client.get("/om/").content.decode()
    assert re.search(r"søket tar de første 1\s000 treffene", html.replace("\xa0", " "))
    assert "«over 1\xa0000 treff»" in html or "«over 1 000 treff»" in html
    english = client.get("/en/om/").content.decode()
    assert "the search takes the first 1,000 results the database finds" in english


def test_the_form_lists_the_national_parties_and_youth_wings_and_what_was_chosen(client):
    """At national size there are thousands of branches: the form does not list them all."""
    html = client.get("/sok/", {"q": "behandling"}).content.decode()
    listed = set(re.findall(r'name="parti" value="([a-z0-9-]+)"', html))
    assert {"ap", "frp", "senterungdommen"} <= listed and "horten-venstre" not in listed
    chosen = client.get("/sok/", {"q": "behandling", "parti": "horten-venstre"}).content.decode()
    assert 'name="parti" value="horten-venstre" checked' in chosen
