"""The grid read: what the public sees, how filters combine, and what it costs."""

import pytest
from django.urls import reverse

from positions.grid import StanceFilter, build_grid
from tests.factories import make_grid_world, make_organisation, make_stance, make_statement, make_topic

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("n_orgs", "n_topics"), [(2, 2), (12, 9)])
def test_grid_costs_four_queries_whatever_its_size(django_assert_num_queries, n_orgs, n_topics):
    make_grid_world(n_orgs, n_topics)
    with django_assert_num_queries(4):
        grid = build_grid()
        cells = list(grid)
        labels = [
            (
                s.source.date_label,
                s.organisation.party.name,
                s.organisation.level,
                cell.organisation.party.name,
            )
            for cell in cells
            for s in cell.evidence
        ]
    assert labels
    assert len(cells) == n_orgs * n_topics


def test_grid_rows_are_national_organisations_by_default():
    national = make_organisation(slug="v")
    make_organisation(party=national.party, level="municipal", slug="horten-venstre")
    grid = build_grid()
    assert [o.slug for o in grid.organisations] == ["v"]
    assert [o.slug for o in build_grid(levels=None).organisations] == ["v", "horten-venstre"]
    assert [o.slug for o in build_grid(levels=["municipal"]).organisations] == ["horten-venstre"]


def test_unknown_slugs_are_reported_not_raised():
    make_organisation(slug="v")
    make_topic(slug="lar")
    grid = build_grid(organisations=["v", "nope"], topics=["lar", "tull"])
    assert [o.slug for o in grid.organisations] == ["v"]
    assert grid.unknown_organisations == ["nope"]
    assert grid.unknown_topics == ["tull"]


def test_a_known_organisation_outside_the_levels_is_not_unknown():
    make_organisation(slug="horten-venstre", level="municipal")
    grid = build_grid(organisations=["horten-venstre"])
    assert grid.organisations == []
    assert grid.unknown_organisations == []


def test_stance_filters_are_anded():
    rooms, coercion = make_topic(slug="sproyterom"), make_topic(slug="tvang")
    a, b, c = (make_organisation(slug=s) for s in "abc")
    make_stance(organisation=a, topic=rooms, value="for")
    make_stance(organisation=a, topic=coercion, value="against")
    make_stance(organisation=b, topic=rooms, value="for")
    make_stance(organisation=b, topic=coercion, value="for")
    make_stance(organisation=c, topic=coercion, value="against")
    grid = build_grid(stance_filters=[StanceFilter("sproyterom", "for"), ("tvang", "against")])
    assert [o.slug for o in grid.organisations] == ["a"]
    only_rooms = build_grid(stance_filters=[("sproyterom", "for")])
    assert [o.slug for o in only_rooms.organisations] == ["a", "b"]
    # c has no stance on sproyterom: it counts as "none".
    assert [o.slug for o in build_grid(stance_filters=[("sproyterom", "none")]).organisations] == ["c"]


def test_stance_filter_on_a_hidden_topic_still_filters():
    rooms, coercion = make_topic(slug="sproyterom"), make_topic(slug="tvang")
    a, b = make_organisation(slug="a"), make_organisation(slug="b")
    make_stance(organisation=a, topic=rooms, value="for")
    make_stance(organisation=b, topic=rooms, value="against")
    grid = build_grid(topics=["tvang"], stance_filters=[("sproyterom", "for")])
    assert [o.slug for o in grid.organisations] == ["a"]
    assert grid.topics == [coercion]


def test_drafts_are_not_shown_publicly_but_are_in_the_preview():
    topic, org = make_topic(), make_organisation()
    make_stance(organisation=org, topic=topic, value="for", status="draft")
    assert build_grid().cell(org, topic).value == "none"
    assert build_grid(published_only=False).cell(org, topic).value == "for"


def test_unpublished_evidence_is_not_shown():
    topic, org = make_topic(), make_organisation()
    shown = make_statement(organisation=org, text="Synlig.")
    hidden = make_statement(organisation=org, text="Skjult.", status="draft")
    make_stance(organisation=org, topic=topic, value="for", evidence=[shown, hidden])
    assert build_grid().cell(org, topic).evidence == [shown]
    assert set(build_grid(published_only=False).cell(org, topic).evidence) == {shown, hidden}


def test_a_stance_whose_evidence_is_all_unpublished_shows_as_not_stated():
    topic, org = make_topic(), make_organisation()
    hidden = make_statement(organisation=org, text="Skjult.", status="draft")
    make_stance(organisation=org, topic=topic, value="against", evidence=[hidden])
    cell = build_grid().cell(org, topic)
    assert (cell.value, cell.summary, cell.evidence) == ("none", "", [])
    assert [o for o in build_grid(stance_filters=[(topic.slug, "against")]).organisations] == []


def test_cell_urls_are_what_reverse_gives(django_assert_num_queries):
    orgs, topics = make_grid_world(3, 2)
    make_organisation(slug="horten-venstre", level="municipal")
    grid = build_grid(levels=None)
    with django_assert_num_queries(0):
        urls = [cell.url for cell in grid]
    expected = [reverse("positions:cell", args=[o.slug, t.slug]) for o in grid.organisations for t in topics]
    assert urls == expected
    assert "/parti/horten-venstre/tema/" in urls[-1]


def test_each_quote_carries_the_grid_organisation_with_its_party():
    topic, org = make_topic(), make_organisation()
    branch = make_organisation(party=org.party, level="county")
    make_stance(organisation=org, topic=topic, value="for", evidence=[make_statement(organisation=org)])
    make_stance(organisation=branch, topic=topic, value="for", evidence=[make_statement(organisation=branch)])
    grid = build_grid(levels=None)
    [quote] = grid.cell(branch, topic).evidence
    assert quote.organisation is grid.organisations[grid.organisations.index(branch)]
    assert grid.organisations == [org, branch]
    # A form beside the grid offers the parties by name, and any organisation asked for.
    assert grid.all_organisations == [org]
    filtered = build_grid(organisations=[branch.slug])
    assert [o.slug for o in filtered.all_organisations] == [org.slug, branch.slug]


def test_without_quotes_a_grid_still_knows_stated_cells_and_uncertain_evidence(django_assert_num_queries):
    topic, org = make_topic(), make_organisation()
    doubtful = make_statement(organisation=org, confidence="uncertain", attribution_note="Kanskje.")
    hidden = make_statement(organisation=org, status="draft")
    make_stance(organisation=org, topic=topic, value="for", evidence=[doubtful, hidden])
    quiet = make_topic()  # stated, but its only quote is a draft: shown as not stated
    make_stance(organisation=org, topic=quiet, value="against", evidence=[hidden])
    with django_assert_num_queries(3):  # organisations, topics, stances with two flags each
        grid = build_grid(with_quotes=False)
        cell = grid.cell(org, topic)
        assert (cell.value, cell.has_uncertain_evidence, cell.evidence) == ("for", True, [])
        assert (grid.cell(org, quiet).value, grid.cell(org, quiet).has_uncertain_evidence) == ("none", False)
    with_quotes = build_grid().cell(org, topic)
    assert (with_quotes.value, with_quotes.has_uncertain_evidence) == (
        cell.value,
        cell.has_uncertain_evidence,
    )


@pytest.mark.parametrize("level", ["youth", "municipal"])
def test_a_page_names_an_organisation_not_at_its_levels_as_left_out_whatever_the_level(level):
    """A page of the parties or youth wings reads its rows with the form's organisations, a page of
    branches picks them out first: both leave out the same named organisations."""
    party = make_organisation(slug="ap", name="Arbeiderpartiet")
    make_organisation(party=party.party, slug="auf", level="youth")
    make_organisation(party=party.party, slug="ap-oslo", level="municipal")
    grid = build_grid(organisations=["ap", "auf", "ap-oslo"], levels=[level], page=1)
    shown = {"youth": "auf", "municipal": "ap-oslo"}[level]
    assert [o.slug for o in grid.organisations] == [shown]
    assert sorted(grid.unknown_organisations) == sorted({"ap", "auf", "ap-oslo"} - {shown})
