"""The journalist's question on the grid: a stance filter finds its answer at every level.

"Which parties are for injection rooms and against coercion?" is answered by one organisation,
a county branch; a filter that looked only at national parties answered "0". A stance filter
without chosen levels searches every level and says so; with chosen levels it says how many
matches the others hold, with one link to them; every level tab keeps the other filters.
"""

import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.http import QueryDict

from parties.models import Organisation
from positions.filters import parse_grid_filters
from positions.models import Stance

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]

HTMX = {"HTTP_HX_REQUEST": "true"}
EVERY_LEVEL = ["national", "county", "municipal", "youth"]
QUESTION = {"standpunkt": ["sproyterom:for", "tvang:against"]}


def row_slugs(response) -> list[str]:
    return re.findall(r'<th scope="row">\s*<a href="/parti/([a-z0-9-]+)/"', response.content.decode())


def matching(*filters: tuple[str, str], levels=EVERY_LEVEL) -> set[str]:
    """From the database, not the grid: the organisations whose published stances match every filter."""
    slugs = set(Organisation.objects.filter(level__in=levels).values_list("slug", flat=True))
    for topic, value in filters:
        slugs &= set(
            Stance.objects.published()
            .filter(topic__slug=topic, value=value)
            .values_list("organisation__slug", flat=True)
        )
    return slugs


def result_count(response) -> str:
    html = response.content.decode()
    text = html.split('<p class="result-count" data-status>')[1].split("</p>")[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", text)).strip()


def level_tabs(response) -> dict[str, tuple[str, bool]]:
    """Tab label -> (href, is current)."""
    nav = response.content.decode().split('<nav id="level-tabs"')[1].split("</nav>")[0]
    return {
        label: (href.replace("&amp;", "&"), bool(current))
        for href, current, label in re.findall(r'<a href="([^"]*)"( aria-current="page")?>([^<]+)</a>', nav)
    }


# --- a stance filter searches every level --------------------------------------------------------


def test_the_journalists_question_is_answered_with_one_filter(client):
    response = client.get("/", QUESTION)
    assert response.status_code == 200
    assert set(row_slugs(response)) == matching(("sproyterom", "for"), ("tvang", "against"))
    assert row_slugs(response) == ["innlandet-venstre"]  # a county branch: national alone answered 0
    assert "Søkt på alle nivåer: nasjonale partier, fylkeslag, lokallag og ungdomspartier." in result_count(
        response
    )


def test_without_a_stance_filter_the_default_is_still_national(client):
    response = client.get("/")
    assert set(row_slugs(response)) == set(
        Organisation.objects.filter(level="national").values_list("slug", flat=True)
    )
    assert "Søkt" not in result_count(response)


def test_chosen_levels_say_how_many_matches_the_other_levels_hold(client):
    response = client.get("/", {"standpunkt": "sproyterom:for", "niva": "national"})
    assert set(row_slugs(response)) == matching(("sproyterom", "for"), levels=["national"])
    elsewhere = matching(("sproyterom", "for")) - matching(("sproyterom", "for"), levels=["national"])
    assert len(elsewhere) == 2  # Innlandet Venstre and Horten Venstre
    text = result_count(response)
    assert "Søkt bare blant nasjonale partier." in text
    assert f"{len(elsewhere)} organisasjoner på andre nivåer passer også." in text
    # One link shows them, keeping the other filters.
    [link] = re.findall(r'href="([^"]+)">Vis treff på alle nivåer', response.content.decode())
    followed = client.get(link.replace("&amp;", "&"))
    assert set(row_slugs(followed)) == matching(("sproyterom", "for"))


def test_the_question_at_national_level_points_to_the_branch(client):
    response = client.get("/", {**QUESTION, "niva": "national"})
    assert row_slugs(response) == []
    assert "1 organisasjon på andre nivåer passer også." in result_count(response)


def test_no_other_levels_note_when_they_hold_nothing(client):
    response = client.get("/", {**QUESTION, "niva": "county"})
    assert row_slugs(response) == ["innlandet-venstre"]
    assert "Søkt bare blant fylkeslag." in result_count(response)
    assert "passer også" not in result_count(response)


# --- level tabs keep the other filters and show which levels are shown ---------------------------


def test_every_level_tab_keeps_the_stance_party_and_topic_filters(client):
    query = {
        "standpunkt": "behandling:for",
        "tema": ["lar", "behandling"],
        "parti": ["v", "innlandet-venstre"],
    }
    tabs = level_tabs(client.get("/", query))
    assert list(tabs) == ["Nasjonalt", "Fylkeslag", "Lokallag", "Ungdomspartier", "Alle nivåer"]
    for label, (href, _current) in tabs.items():
        kept = parse_qs(urlsplit(href).query)
        assert kept["standpunkt"] == ["behandling:for"], label
        assert kept["tema"] == ["behandling", "lar"], label
        assert kept["parti"] == ["innlandet-venstre", "v"], label
    assert row_slugs(client.get(tabs["Fylkeslag"][0])) == ["innlandet-venstre"]
    assert row_slugs(client.get(tabs["Nasjonalt"][0])) == ["v"]
    assert row_slugs(client.get(tabs["Alle nivåer"][0])) == ["v", "innlandet-venstre"]


def test_all_levels_keeps_the_stance_filter(client):
    tabs = level_tabs(client.get("/", {**QUESTION, "niva": "national"}))
    assert row_slugs(client.get(tabs["Alle nivåer"][0])) == ["innlandet-venstre"]


@pytest.mark.parametrize(
    ("query", "current"),
    [
        ({}, "Nasjonalt"),
        ({"niva": "county"}, "Fylkeslag"),
        ({"niva": EVERY_LEVEL}, "Alle nivåer"),
        (QUESTION, "Alle nivåer"),
        ({**QUESTION, "niva": "youth"}, "Ungdomspartier"),
        ({"niva": ["county", "youth"]}, None),  # two levels: no single tab is what is shown
    ],
)
def test_the_current_tab_is_the_levels_shown_in_the_page_and_the_htmx_fragment(client, query, current):
    page = client.get("/", query)
    fragment = client.get("/", query, **HTMX)
    for response in (page, fragment):
        tabs = level_tabs(response)
        assert [label for label, (_href, is_current) in tabs.items() if is_current] == (
            [current] if current else []
        )
    # The fragment replaces #results; the tabs, outside it, come along out of band.
    assert (
        'id="level-tabs" class="level-tabs" aria-label="Nivå" data-hx-swap-oob="true"'
        in fragment.content.decode()
    )
    assert "data-hx-swap-oob" not in page.content.decode()


def test_the_level_checkboxes_show_the_levels_chosen(client):
    html = client.get("/", {"niva": EVERY_LEVEL}).content.decode()
    assert len(re.findall(r'name="niva" value="[a-z]+" checked', html)) == 4
    html = client.get("/", QUESTION).content.decode()
    assert not re.findall(r'name="niva" value="[a-z]+" checked', html)  # searched every level, none chosen


# --- canonical: the same question is one page ------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other"),
    [
        (
            "standpunkt=sproyterom:for",
            "standpunkt=sproyterom:for&niva=youth&niva=county&niva=national&niva=municipal",
        ),
        ("parti=v", "parti=v&niva=national&niva=county&niva=municipal&niva=youth"),
        ("", "niva=national"),
    ],
)
def test_every_level_with_a_stance_filter_is_the_same_query_as_none(one, other):
    assert (
        parse_grid_filters(QueryDict(one)).querystring() == parse_grid_filters(QueryDict(other)).querystring()
    )


def test_every_level_without_a_stance_filter_is_not_the_default():
    assert parse_grid_filters(
        QueryDict("niva=national&niva=county&niva=municipal&niva=youth")
    ).querystring() == ("niva=national&niva=county&niva=municipal&niva=youth")


# --- the example on /om/, answered, in the grid and as CSV ---------------------------------------


def test_the_about_pages_example_answers_the_question_in_the_grid_and_as_csv(client):
    html = client.get("/om/").content.decode()
    [grid_link] = re.findall(r'href="(/\?standpunkt=[^"]+)"', html)
    [csv_link] = re.findall(r'href="(/eksport\.csv\?[^"]+)"', html)
    expected = matching(("sproyterom", "for"), ("tvang", "against"))
    assert expected  # the example has an answer
    assert set(row_slugs(client.get(grid_link.replace("&amp;", "&")))) == expected
    response = client.get(csv_link.replace("&amp;", "&"))
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
    assert rows and {row["organisation"] for row in rows} == expected


def test_the_csv_export_follows_the_grids_filters(client):
    for query in [
        QUESTION,
        {"standpunkt": "sproyterom:for"},
        {"standpunkt": "sproyterom:for", "niva": "national"},
    ]:
        shown = set(row_slugs(client.get("/", query)))
        response = client.get("/eksport.csv", query)
        rows = list(csv.DictReader(io.StringIO(response.getvalue().decode("utf-8-sig"))))
        assert {row["organisation"] for row in rows} == shown, query
