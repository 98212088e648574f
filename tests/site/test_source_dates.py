"""Dates a voter can trust: every quote says how old its source is, sources from before the last
Storting election and undated ones say so, organisations that rest only on such sources are marked
on the grid and on their page, and the grid says when its data was last published."""

import datetime
import re

import pytest
from django.utils import timezone

from positions.models import LAST_STORTING_ELECTION, Source, Stance, Statement, written_after_election
from ruspolitikk import pagecache

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]

HTMX = {"HTTP_HX_REQUEST": "true"}
OLD = "fra før valget i 2025"


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def row_header(html: str, name: str) -> str:
    """The grid row header (<th scope="row">) of the organisation called ``name``."""
    for header in re.findall(r'<th scope="row">(.*?)</th>', html, flags=re.S):
        if f">{name}</a>" in header:
            return header
    raise AssertionError(f"no row for {name}")


def cell_quoting(source_slug: str) -> str:
    stance = Stance.objects.published().filter(evidence__source__slug=source_slug).first()
    return f"/parti/{stance.organisation.slug}/tema/{stance.topic.slug}/"


# --- the rule ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "precision, start, end, before",
    [
        ("day", datetime.date(2025, 9, 7), None, True),
        ("day", LAST_STORTING_ELECTION, None, False),
        ("year", datetime.date(2024, 1, 1), None, True),
        ("year", datetime.date(2025, 1, 1), None, False),  # "2025" may be after September
        ("approximate", datetime.date(2023, 1, 1), None, True),
        ("period", datetime.date(2017, 1, 1), datetime.date(2021, 12, 31), True),
        ("period", datetime.date(2021, 1, 1), datetime.date(2025, 12, 31), False),
        ("unknown", None, None, False),  # undated, which says "udatert" instead
    ],
)
def test_a_source_is_from_before_the_election_by_its_latest_possible_date(precision, start, end, before):
    source = Source.objects.first()
    source.date_precision, source.date_start, source.date_end = precision, start, end
    source.save()
    assert source.predates_election is before
    assert source.is_dated is (precision != "unknown")
    after = Source.objects.filter(written_after_election(), pk=source.pk).exists()
    assert after is (source.is_dated and not before)  # the SQL rule is the same rule


# --- quotes: cell, evidence fragment, organisation, search ---------------------------------------


def test_every_quote_says_how_old_its_source_is(client):
    programme = Source.objects.get(slug="frp-partiprogram-2017-2021")
    undated = Source.objects.get(slug="krf-rusomsorg")
    for url in (cell_quoting(programme.slug), cell_quoting(undated.slug)):
        for headers in ({}, HTMX):
            page = text(client.get(url, **headers))
            quotes = re.findall(r"<figcaption>.*?</figcaption>", page)
            assert quotes, url
            for caption in quotes:
                assert re.search(r'class="source-date">[^<]+<', caption)
    assert OLD in text(client.get(cell_quoting(programme.slug)))
    assert "udatert" in text(client.get(cell_quoting(undated.slug), **HTMX))


def test_a_quote_from_after_the_election_carries_no_warning(client):
    programme = Source.objects.get(slug="frp-partiprogram-2017-2021")
    url = cell_quoting(programme.slug)
    programme.date_precision = "period"
    programme.date_start, programme.date_end = datetime.date(2025, 1, 1), datetime.date(2029, 12, 31)
    programme.save()
    page = text(client.get(url))
    assert "2025–2029" in page
    captions = [c for c in re.findall(r"<figcaption>.*?</figcaption>", page) if "2025–2029" in c]
    assert captions and all(OLD not in caption for caption in captions)


def test_search_results_say_how_old_their_source_is(client):
    page = text(client.get("/sok/", {"q": "behandling"}))
    assert OLD in page or "udatert" in page
    assert 'class="source-date"' in page


# --- organisations ------------------------------------------------------------------------------


def test_the_grid_marks_organisations_with_only_old_or_undated_sources(client):
    html = client.get("/").content.decode()
    header = row_header(html, "Fremskrittspartiet")
    assert "⌛" in header
    assert "alle kildene er fra før valget i 2025 eller udaterte" in header  # for screen readers
    assert 'class="visually-hidden"' in header
    assert "alle kildene vi har fra organisasjonen er fra før stortingsvalget i 2025" in text(
        client.get("/")
    )  # the legend, in words


def test_an_organisation_with_a_source_from_after_the_election_is_not_marked(client):
    statement = Statement.objects.published().filter(organisation__slug="ap").first()
    source = statement.source
    source.date_precision, source.date_start, source.date_end = "day", datetime.date(2025, 10, 1), None
    source.save()
    html = client.get("/").content.decode()
    assert "⌛" not in row_header(html, statement.organisation.name)
    assert "⌛" in row_header(html, "Høyre")
    page = text(client.get("/parti/ap/"))
    assert "notice-old-sources" not in page


def test_the_organisation_page_says_its_sources_are_old(client):
    page = text(client.get("/parti/frp/"))
    assert "notice-old-sources" in page
    assert "er fra før stortingsvalget i 2025 eller udaterte" in page
    sources = re.search(r'<ul class="source-list">.*?</ul>', page).group(0)
    assert OLD in sources and "udatert" in sources


# --- when the data was last reviewed -----------------------------------------------------------


def test_the_grid_says_when_the_data_was_last_published(client):
    latest = datetime.datetime(2026, 3, 12, 10, 0, tzinfo=datetime.UTC)
    statement = Statement.objects.published().first()
    statement.published_at = latest
    statement.save()
    page = text(client.get("/"))
    assert 'Sist gjennomgått: <time datetime="2026-03-12">12. mars 2026</time>' in page
    fragment = text(client.get("/", **HTMX))
    assert "Sist gjennomgått" in fragment
    english = text(client.get("/en/"))
    assert '<time datetime="2026-03-12">March 12, 2026</time>' in english


def test_no_date_before_anything_was_published(client):
    Stance.objects.update(published_at=None)
    Statement.objects.update(published_at=None)
    pagecache.data_changed()  # update() bypasses save()
    assert "Sist gjennomgått" not in text(client.get("/"))


def test_a_later_stance_publish_moves_the_date(client):
    stance = Stance.objects.published().first()
    stance.published_at = timezone.now() + datetime.timedelta(days=400)
    stance.save()
    pagecache.data_changed()
    # The page dates in Norwegian time: after 23:00 UTC in winter that is already the next day.
    assert f'datetime="{timezone.localtime(stance.published_at):%Y-%m-%d}"' in text(client.get("/"))


# --- English ------------------------------------------------------------------------------------


def test_the_dates_are_translated(client):
    programme = Source.objects.get(slug="frp-partiprogram-2017-2021")
    cell = text(client.get("/en" + cell_quoting(programme.slug)))
    assert "from before the 2025 election" in cell and OLD not in cell
    stance = Stance.objects.published().first()
    stance.published_at = timezone.now()
    stance.save()
    grid = text(client.get("/en/"))
    assert "Last reviewed" in grid
    assert "all sources are from before the 2025 election or undated" in grid
    organisation = text(client.get("/en/parti/frp/"))
    assert "before the 2025 Storting election or undated" in organisation
    assert "undated" in organisation
