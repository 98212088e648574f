"""The grid for one level is paginated: 20 organisations a page, filters kept, stance filters decided
across the whole level, counts in Norwegian number format, constant cost whatever the page."""

import csv
import io
import re

import pytest
from django.http import QueryDict

from positions.filters import export_query, grid_query
from positions.models import Topic
from tests.scale import VALUES, make_scale_world

pytestmark = pytest.mark.django_db


def row_names(html: str) -> list[str]:
    return re.findall(r'<th scope="row">\s*<a href="/parti/[^"]+/">.*?</svg>([^<]+)</a>', html, re.S)


@pytest.fixture
def world():
    return make_scale_world(organisations=120, topics=2)


def test_the_first_page_shows_twenty_organisations_and_says_which_of_how_many(client, world):
    html = client.get("/").content.decode()
    assert row_names(html) == [f"Parti {i:05d}" for i in range(20)]
    assert "Viser 1–20 av 120 organisasjoner" in html
    assert 'href="/?side=2#tabell"' in html and 'rel="next"' in html
    assert 'rel="prev"' not in html


def test_the_last_page_holds_the_rest(client, world):
    html = client.get("/", {"side": "6"}).content.decode()
    assert row_names(html) == [f"Parti {i:05d}" for i in range(100, 120)]
    assert "Viser 101–120 av 120 organisasjoner" in html
    assert 'href="/?side=5#tabell"' in html and 'rel="next"' not in html
    assert 'aria-current="page"><span class="visually-hidden">Side </span>6</a>' in html


@pytest.mark.parametrize("page", ["0", "-1", "abc", "2.5", "١", "99999999999"])
def test_a_page_that_is_no_number_is_a_400_in_norwegian(client, world, page):
    response = client.get("/", {"side": page})
    assert response.status_code == 400
    assert "Sidetallet" in response.content.decode()


def test_a_page_past_the_last_is_a_404_that_says_how_many_there_are(client, world):
    response = client.get("/", {"side": "7"})
    assert response.status_code == 404
    assert "Tabellen har bare 6 sider med dette filteret, så side 7 finnes ikke." in response.content.decode()


def test_page_links_keep_every_filter_and_htmx_swaps_the_page(client, world):
    orgs, topics = world
    response = client.get(
        "/", {"tema": topics[1].slug, "niva": ["national", "county"]}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    expected = f"tema={topics[1].slug}&amp;niva=national&amp;niva=county&amp;side=2"
    assert f'href="/?{expected}#tabell"' in html  # without JavaScript: a plain link
    assert f'data-hx-get="/?{expected}"' in html and 'data-hx-target="#results"' in html


def test_a_stance_filter_ands_across_the_whole_level_not_just_the_page(client, world):
    orgs, topics = world
    # Organisation i has VALUES[(i + j) % 4] on topic j: "for" on t0 and "against" on t1 is i % 4 == 0.
    assert VALUES[0] == "for" and VALUES[(0 + 1) % 4] == "partly"
    query = {"standpunkt": [f"{topics[0].slug}:for", f"{topics[1].slug}:partly"], "niva": "national"}
    first = client.get("/", query).content.decode()
    matching = [f"Parti {i:05d}" for i in range(0, 120, 4)]  # 30 of them, spread over all 120
    assert row_names(first) == matching[:20]
    assert "Viser 1–20 av 30 organisasjoner" in first
    second = client.get("/", {**query, "side": "2"}).content.decode()
    assert row_names(second) == matching[20:]
    assert 'class="pagination"' in first and "Viser 21–30 av 30 organisasjoner" in second


def test_stance_filter_matches_on_later_pages_are_paged_too(client):
    make_scale_world(organisations=240, topics=1)
    html = client.get("/", {"standpunkt": "t0:for", "side": "2", "niva": "national"}).content.decode()
    assert "Viser 21–40 av 60 organisasjoner" in html
    assert row_names(html) == [f"Parti {i:05d}" for i in range(80, 160, 4)]


def test_counts_use_the_languages_number_format(client):
    make_scale_world(organisations=1100, topics=1)
    assert "Viser 21–40 av 1\xa0100 organisasjoner" in client.get("/", {"side": "2"}).content.decode()
    assert "Showing 21–40 of 1,100 organisations" in client.get("/en/", {"side": "2"}).content.decode()


@pytest.mark.parametrize("page", ["1", "3"])
def test_a_page_costs_the_same_queries_whatever_the_page_and_the_size(
    client, world, page, django_assert_num_queries
):
    # Topics, the national parties (the rows, and what the form offers: one read), the page's
    # rows' stances, their sources' dates.
    with django_assert_num_queries(4):
        assert client.get("/", {"side": page}).status_code == 200
    with django_assert_num_queries(6):  # a stance filter: one query decides it across the level
        assert client.get("/", {"side": "1", "standpunkt": "t0:none"}).status_code == 200


def test_the_canonical_query_names_the_page_but_the_exports_ignore_it():
    assert grid_query(QueryDict("side=1")) == ""
    assert grid_query(QueryDict("side=02&tema=b&tema=a")) == "tema=a&tema=b&side=2"
    assert export_query(QueryDict("side=2&tema=a")) == "tema=a"


def test_exports_export_the_whole_filtered_set_not_the_page(client, world):
    body = client.get("/eksport.csv", {"side": "2"}).getvalue().decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len({row["organisation"] for row in rows}) == 120
    assert body == client.get("/eksport.csv").getvalue().decode()
    assert 'href="/eksport.csv"' in client.get("/", {"side": "2"}).content.decode()


def test_the_phone_layouts_cell_labels_speak_the_pages_language(client, world):
    """data-label names the topic above each cell on a phone: bokmål at /, English at /en/."""
    topic = Topic.objects.get(slug="t0")
    topic.short_name, topic.short_name_en = "Sprøyterom", "Injection rooms"
    topic.save()
    assert 'data-label="Sprøyterom"' in client.get("/").content.decode()
    english = client.get("/en/").content.decode()
    assert 'data-label="Injection rooms"' in english and 'data-label="Sprøyterom"' not in english
