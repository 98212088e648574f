"""Edge cases built with factories: drafts never public, editor text never HTML, query counts pinned."""

import html
import json
import re

import pytest

from tests.factories import (
    make_grid_world,
    make_organisation,
    make_source,
    make_stance,
    make_statement,
    make_topic,
)
from tests.site.htmlcheck import check_html

pytestmark = pytest.mark.django_db

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.mark.parametrize(("n_orgs", "n_topics"), [(2, 2), (12, 9)])
def test_grid_page_query_count_does_not_grow(client, django_assert_num_queries, n_orgs, n_topics):
    _orgs, topics = make_grid_world(n_orgs, n_topics)
    with django_assert_num_queries(4):  # the grid's 4; the filter form lists what the grid read
        assert client.get("/").status_code == 200
    # The htmx fragment is the grid alone; a stance filter adds one query (decided across the level).
    with django_assert_num_queries(6):
        response = client.get("/", {"standpunkt": f"{topics[0].slug}:for"}, HTTP_HX_REQUEST="true")
        assert response.status_code == 200


@pytest.mark.parametrize(("n_orgs", "n_topics"), [(2, 2), (12, 9)])
def test_cell_and_export_query_counts_do_not_grow(client, django_assert_num_queries, n_orgs, n_topics):
    orgs, topics = make_grid_world(n_orgs, n_topics)
    with django_assert_num_queries(4):  # the grid's 4: it finds the organisation and the topic too
        client.get(f"/parti/{orgs[-1].slug}/tema/{topics[-1].slug}/", HTTP_HX_REQUEST="true")
    with django_assert_num_queries(4):  # one chunk of the national parties: the grid's 4
        client.get("/eksport.json")
    with django_assert_num_queries(5):  # every level: the organisations matching first
        client.get("/eksport.json", {"niva": ["national", "county", "municipal", "youth"]})


@pytest.fixture
def xss_world():
    topic = make_topic(slug="sproyterom")
    org = make_organisation(slug="xss", name="Parti <b>X</b>")
    statement = make_statement(organisation=org, text=f"Vi vil ha sprøyterom {PAYLOAD}", topics=[topic])
    make_stance(
        organisation=org, topic=topic, value="for", summary=f"Sier ja {PAYLOAD}", evidence=[statement]
    )
    other = make_organisation(slug="annen")
    make_stance(organisation=other, topic=topic, value="against")
    return org, topic, statement


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/?standpunkt=sproyterom:for",
        "/parti/xss/tema/sproyterom/",
        "/parti/xss/",
        "/tema/sproyterom/",
        "/sammenlign/?parti=xss&parti=annen",
        "/sok/?q=sprøyterom",
    ],
)
def test_editor_text_is_escaped_everywhere(client, xss_world, url):
    html = client.get(url).content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert" in html
    assert check_html(html).errors == []


def test_editor_text_is_escaped_on_the_source_page(client, xss_world):
    _org, _topic, statement = xss_world
    html = client.get(f"/kilde/{statement.source.slug}/").content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html


def test_every_text_a_search_hit_shows_is_escaped(client):
    """The hits are written in Python (``search_hits``), not by the template's autoescaping: every
    text an editor wrote is escaped there too, in the page and in the htmx fragment."""
    topic = make_topic(slug="sproyterom", name=f"Tema {PAYLOAD}")
    org = make_organisation(slug="xss", name=f"Parti {PAYLOAD}")
    source = make_source(organisation=org, title=f"Tittel {PAYLOAD}")
    make_statement(
        source=source,
        text=f"Vi vil ha sprøyterom {PAYLOAD}",
        topics=[topic],
        confidence="uncertain",
        attribution_note=f"Notat {PAYLOAD}",
    )
    make_stance(organisation=org, topic=topic, value="for", summary="Ja.")
    page = client.get("/sok/?q=sprøyterom").content.decode()
    fragment = client.get("/sok/?q=sprøyterom", HTTP_HX_REQUEST="true").content.decode()
    for shown in (page, fragment):
        assert "<script>alert" not in shown and "<img src=x" not in shown
        for text in ("Tema", "Parti", "Tittel", "Notat", "Vi vil ha <mark>sprøyterom</mark>"):
            assert f"{text} {html.escape(PAYLOAD)}" in shown, text
    assert check_html(page).errors == []


def test_exports_carry_the_text_as_data(client, xss_world):
    rows = json.loads(client.get("/eksport.json?parti=xss").getvalue())["rows"]
    assert PAYLOAD in rows[0]["summary"]
    assert client.get("/eksport.json")["Content-Type"].startswith("application/json")


def test_draft_stance_and_draft_statement_are_not_public(client):
    topic = make_topic(slug="lar")
    org = make_organisation(slug="v", name="Venstre")
    draft_quote = make_statement(
        organisation=org, text="Hemmelig utkast om LAR.", status="draft", topics=[topic]
    )
    make_stance(organisation=org, topic=topic, value="for", summary="Utkastsoppsummering.", status="draft")
    for url in ["/", "/parti/v/", "/parti/v/tema/lar/", "/tema/lar/", "/sok/?q=utkast"]:
        html = client.get(url).content.decode()
        assert "Utkastsoppsummering" not in html, url
        assert "Hemmelig utkast om LAR." not in html, url
    source_html = client.get(f"/kilde/{draft_quote.source.slug}/").content.decode()
    assert f'id="{draft_quote.anchor}"' not in source_html  # the verbatim text stays; it is not marked


def test_published_stance_with_only_draft_evidence_shows_as_not_stated(client):
    topic = make_topic(slug="tvang")
    org = make_organisation(slug="krf")
    hidden = make_statement(organisation=org, text="Ikke publisert ennå.", status="draft")
    make_stance(organisation=org, topic=topic, value="against", summary="Mot tvang.", evidence=[hidden])
    html = client.get("/parti/krf/tema/tvang/").content.decode()
    assert "Mot tvang." not in html and "ikke uttalt" in html
    assert client.get("/", {"standpunkt": "tvang:against"}).content.decode().count('scope="row"') == 0


@pytest.mark.parametrize(
    "place", ["/", "/parti/h/", "/tema/har/", "/sammenlign/?parti=h&parti=sp", "/sok/?q=heroin"]
)
def test_uncertain_evidence_is_flagged_wherever_it_appears(client, place):
    topic = make_topic(slug="har")
    org = make_organisation(slug="h")
    make_organisation(slug="sp")
    doubtful = make_statement(
        organisation=org,
        text="Vi vil prøve heroinassistert behandling.",
        confidence="uncertain",
        attribution_note="Avsnittet står mellom to partiers tekster.",
        topics=[topic],
    )
    make_stance(organisation=org, topic=topic, value="for", evidence=[doubtful])
    html = client.get(place).content.decode()
    assert "sikker attribusjon" in html  # "Usikker attribusjon" / "usikker attribusjon"
    if place != "/":  # the grid marks the cell; the quote with its note is one click away
        assert "Avsnittet står mellom to partiers tekster." in html
    cell_html = client.get("/parti/h/tema/har/").content.decode()
    assert "Avsnittet står mellom to partiers tekster." in cell_html


def test_grid_cells_flag_uncertain_evidence_and_say_when_nothing_was_found(client, django_assert_num_queries):
    topic, org = make_topic(slug="lar"), make_organisation(slug="h", name="Høyre")
    doubtful = make_statement(organisation=org, confidence="uncertain", attribution_note="Kan være Frp.")
    make_stance(organisation=org, topic=topic, value="partly", summary="Delvis.", evidence=[doubtful])
    make_organisation(slug="krf", name="KrF")
    with django_assert_num_queries(4):  # the home page reads no quote, only whether one is uncertain
        html = client.get("/").content.decode()
    label = f'data-label="{topic.short_name}"'
    cells = re.findall(rf'<td class="cell cell-(\w+)" {label}>(.*?)</td>', html, re.S)
    assert [value for value, _ in cells] == ["partly", "none"]
    (_, doubtful_cell), (_, silent_cell) = cells
    assert 'href="/parti/h/tema/lar/"' in doubtful_cell
    assert 'data-hx-get="/parti/h/tema/lar/"' in doubtful_cell
    assert f'aria-describedby="tip-{org.pk}-{topic.pk}"' in doubtful_cell
    assert f'id="tip-{org.pk}-{topic.pk}">Delvis.</span>' in doubtful_cell
    assert '<span class="uncertain-mark" title="Usikker attribusjon">' in doubtful_cell
    assert '<span class="visually-hidden"> (usikker attribusjon)</span>' in doubtful_cell
    assert "uncertain-mark" not in silent_cell
    assert f'<span class="visually-hidden">KrF, {topic.short_name}: </span>' in silent_cell
    assert "Tekstene vi har fra organisasjonen sier ikke noe om dette." in silent_cell
    assert check_html(html).errors == []
