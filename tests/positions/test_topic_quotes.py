"""The topic page's cells read as plain values (``positions.topic_quotes``) show exactly what the grid's
model objects show: the same items, quotes and rules for drafts, in both languages."""

import datetime

import pytest
from django.utils import translation

from positions.grid import build_grid
from positions.templatetags.stances import group_members, stance_items
from positions.topic_quotes import topic_cells
from tests.factories import make_organisation, make_source, make_stance, make_statement, make_topic

pytestmark = pytest.mark.django_db


def world():
    """One organisation of each kind of cell a topic page shows, with quotes of every kind."""
    topic = make_topic(slug="lar")
    other_topic = make_topic(slug="tvang")
    party = make_organisation(slug="h", name="H <b>")
    branch = make_organisation(slug="h-lag", name="H lag & co", level="county", party=party.party)
    publisher = make_organisation(slug="v", name="V «x»")  # publishes a source another is quoted from
    old = make_source(
        organisation=publisher, title="Tittel & <i>", language="nn", date_precision="year",
        date_start=datetime.date(2019, 1, 1), date_end=None,
    )  # fmt: skip
    old.url = "https://v.no/?a=1&b=2"
    old.save()
    undated = make_source(organisation=branch, date_precision="unknown", date_start=None, date_end=None)
    day = make_source(organisation=party, date_precision="day", date_start=datetime.date(2025, 9, 1))
    quotes = [
        make_statement(source=day, organisation=party, text="Dag <1>."),
        make_statement(
            source=old,
            organisation=party,
            text="Gammel.",
            confidence="uncertain",
            attribution_note="Kanskje <u>.",
        ),  # fmt: skip
        make_statement(source=undated, organisation=party, text="Udatert."),
        make_statement(source=day, organisation=party, text="Utkast.", status="draft"),
    ]
    make_stance(organisation=party, topic=topic, value="for", summary="Ja & <nei>", evidence=quotes)
    make_stance(organisation=branch, topic=topic, value="against", summary="Nei",
                evidence=[make_statement(source=undated, organisation=branch, text="Nei.")])  # fmt: skip
    hidden = make_organisation(slug="krf")  # stated, but only with drafts: shown as not stated
    make_stance(organisation=hidden, topic=topic, value="partly",
                evidence=[make_statement(organisation=hidden, status="draft")])  # fmt: skip
    draft = make_organisation(slug="sp")  # a draft stance: not stated
    make_stance(organisation=draft, topic=topic, value="for", status="draft")
    silent = make_organisation(slug="ap")  # a published "none" with a summary, and no quote
    make_stance(organisation=silent, topic=topic, value="none", summary="Sier ingenting")
    make_stance(organisation=silent, topic=other_topic, value="for")  # another topic: not read
    make_organisation(slug="frp")  # no stance at all
    return topic


@pytest.mark.parametrize("language", ["nb", "en"])
def test_a_topic_pages_cells_as_values_render_as_the_grids_model_objects_do(language):
    topic = world()
    slugs = ["h", "h-lag", "v", "krf", "sp", "ap", "frp"]
    with translation.override(language):
        grid = build_grid(organisations=slugs, topics=[topic.slug], levels=None)
        by_slug = {o.slug: o for o in grid.organisations}
        expected = [grid.cell(by_slug[slug], grid.topics[0]) for slug in slugs]
        read = topic_cells(topic, slugs)
        cells = [read[slug] for slug in slugs]
        html = stance_items(cells)
        assert html == stance_items(expected)
        assert group_members(cells) == group_members(expected)
    for part in [
        "quote-uncertain",
        "source-old",
        'cite="https://v.no/?a=1&amp;b=2"',
        "V «x»</a>",
        "Sier ingenting",
    ]:
        assert part in html  # every kind of part was compared
    assert "Utkast" not in html
    assert [cell.value for cell in cells] == [cell.value for cell in expected]
    assert [cell.url for cell in cells] == [cell.url for cell in expected]
    assert [cell.value for cell in cells] == ["for", "against", "none", "none", "none", "none", "none"]
    shown = [quote.text for quote in read["h"].evidence]  # in source order (undated first or last)
    assert shown == [statement.text for statement in expected[0].evidence]
    assert sorted(shown) == ["Dag <1>.", "Gammel.", "Udatert."]


def test_no_organisations_no_cells_and_no_query(django_assert_num_queries):
    topic = make_topic()
    with django_assert_num_queries(0):
        assert topic_cells(topic, []) == {}


def test_three_queries_whoever_publishes_the_sources(django_assert_num_queries):
    topic = world()
    with django_assert_num_queries(3):  # organisations, stances, quotes with sources and both publishers
        topic_cells(topic, ["h"])  # quoted from V's source, V not among those read


def test_an_empty_group_is_a_dash():
    assert group_members([]) == "–"
