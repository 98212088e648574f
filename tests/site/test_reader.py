"""The reader's journey over HTTP: what a page says and how it names things (issue #11, "The reader").

Visual weight, the keyboard path, layout at 390 px, tap-reachable abbreviations and the copy
button are measured in real Chromium in tests/browser/test_reader.py.
"""

import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings

from positions.models import Stance, Topic
from positions.templatetags.stances import abbreviations, in_sentence
from tests.factories import make_statement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]


def meta(html: str, key: str) -> str:
    """The content of <meta property|name="key">."""
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)">', html)
    assert match, f"no meta {key}"
    return match.group(1)


def title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


# --- visual weight ------------------------------------------------------------------------------


def test_stated_badges_are_marked_to_stand_out_and_silence_to_recede(client):
    html = client.get("/").content.decode()
    badges = re.findall(r'<span class="badge badge-(\w+) (badge-\w+)"><span class="badge-icon"', html)
    assert {value for value, _ in badges} == {"for", "partly", "against", "none"}
    for value, weight in badges:
        assert weight == ("badge-quiet" if value == "none" else "badge-stated")
    # Never by colour alone: the quiet badge keeps its icon and its words.
    quiet = '<span class="badge badge-none badge-quiet"><span class="badge-icon" aria-hidden="true">–</span>'
    assert quiet + " ikke uttalt" in html


# --- keyboard path: the skip link to the grid ---------------------------------------------------


def test_the_grid_has_its_own_skip_link_after_the_one_to_the_content(client):
    html = client.get("/").content.decode()
    links = re.findall(r'<a class="skip-link" href="#(\w+)">([^<]+)</a>', html)
    assert links == [("main", "Hopp til innholdet"), ("tabell", "Hopp til tabellen")]
    assert '<tbody id="tabell">' in html
    # With no organisation to show, the link lands on the message that says so.
    empty = client.get("/", {"standpunkt": ["sproyterom:for", "tvang:against"], "niva": "national"})
    empty = empty.content.decode()
    assert '<p class="empty" id="tabell">' in empty


def test_other_pages_have_only_the_skip_link_to_the_content(client):
    html = client.get("/tema/lar/").content.decode()
    assert html.count('class="skip-link"') == 1


# --- layout at 390 px (what can be seen without a browser) --------------------------------------


def test_the_topic_chart_is_narrow_enough_to_keep_its_labels_legible_on_a_phone(client):
    html = client.get("/tema/sproyterom/").content.decode()
    assert 'viewBox="0 0 310 112"' in html
    for x, width in re.findall(r'<rect x="(\d+)" y="4" width="(\d+)"', html):
        assert int(x) + int(width) + 8 + 20 <= 310  # bar, gap and a two-digit count fit
    css = (Path(settings.BASE_DIR) / "static/css/site.css").read_text()
    assert re.search(r"\.chart-label, \.chart-count \{[^}]*font-size: 14px", css)


# --- abbreviations ------------------------------------------------------------------------------


def test_abbreviations_are_spelled_out_in_text_under_the_grid(client):
    html = client.get("/").content.decode()
    legend = re.search(r'<p class="abbreviations">(.*?)</p>', html, re.S).group(1)
    assert "<abbr>LAR</abbr> = legemiddelassistert rehabilitering" in legend
    assert "<abbr>HAR</abbr> = heroinassistert behandling" in legend
    assert "title=" not in legend  # text anyone can read, not a hover tooltip
    # Only the abbreviations of the columns shown.
    only_har = client.get("/", {"tema": "har"}).content.decode()
    assert "<abbr>HAR</abbr>" in only_har and "<abbr>LAR</abbr>" not in only_har
    assert 'class="abbreviations"' not in client.get("/", {"tema": "tvang"}).content.decode()


def test_the_uncertain_mark_is_explained_in_text_when_the_grid_shows_one(client):
    def key(html: str) -> str:
        return re.search(r'<p class="abbreviations">(.*?)</p>', html, re.S).group(1)

    assert "⚠" not in key(client.get("/").content.decode())  # no national cell leans on doubtful text
    stance = Stance.objects.published().get(organisation__slug="frp", topic__slug="har")
    doubtful = make_statement(organisation=stance.organisation, confidence="uncertain", attribution_note="?")
    stance.evidence.add(doubtful)  # an M2M change: a new data version
    html = client.get("/").content.decode()
    assert 'class="uncertain-mark"' in html
    assert '<span aria-hidden="true">⚠</span> = <a href="/om/#usikker">usikker attribusjon</a>' in key(html)
    assert '<p id="usikker">' in client.get("/om/").content.decode()


def test_abbreviations_are_found_only_where_the_name_spells_them_out():
    topics = [
        Topic(short_name="LAR", name="Legemiddelassistert rehabilitering (LAR)"),
        Topic(short_name="Sprøyterom", name="Sprøyterom og brukerrom"),
        Topic(short_name="NOU", name="Utredninger"),
    ]
    assert abbreviations(topics) == [("LAR", "legemiddelassistert rehabilitering")]


# --- wording ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Sprøyterom og brukerrom", "sprøyterom og brukerrom"),
        ("Heroinassistert behandling (HAR)", "heroinassistert behandling (HAR)"),
        ("LAR", "LAR"),
        ("LAR-tiltak", "LAR-tiltak"),
        ("Ø", "ø"),
        ("", ""),
    ],
)
def test_a_topic_name_reads_lower_case_mid_sentence_but_abbreviations_keep_their_capitals(name, expected):
    assert in_sentence(name) == expected


def test_the_cell_names_its_topic_mid_sentence_and_never_says_alle_om(client):
    html = client.get("/parti/r/tema/sproyterom/").content.decode()
    assert '<h1 id="evidence-title" tabindex="-1">Rødt om sprøyterom og brukerrom</h1>' in html
    assert title(html) == "Rødt om sprøyterom og brukerrom · Ruspolitikk"
    assert "Alle om" not in html
    assert "Hva alle partier og lag mener om sprøyterom og brukerrom" in html
    lar = client.get("/parti/r/tema/lar/").content.decode()
    assert "Rødt om legemiddelassistert rehabilitering (LAR)" in lar


def test_not_stated_has_one_wording_everywhere(client):
    cell = client.get("/parti/sv/tema/lar/").content.decode()
    assert "ikke uttalt" in cell
    assert "Tekstene vi har fra organisasjonen sier ikke noe om dette." in cell
    for path in ["/", "/parti/sv/", "/parti/sv/tema/lar/", "/om/", "/tema/lar/"]:
        html = client.get(path).content.decode()
        assert "Vi fant ingen uttalelse" not in html and "Vi fant ikke noe om temaet" not in html, path


def test_lay_text_says_kortnavn_not_slug(client):
    html = client.get("/om/").content.decode()
    text = re.sub(r"<[^>]+>", " ", html.split("<main", 1)[1])
    assert "slug" not in text.lower()
    assert "Organisasjonens kortnavn" in text


def test_a_source_of_uncertain_authorship_is_placed_not_published_and_its_note_is_shown(client):
    html = client.get("/kilde/frp-narkotikaprogrammet/").content.decode()
    assert "Utgitt av" not in html
    assert "<dt>Plassert hos</dt>" in html
    assert '<a href="#usikker">usikker avsender</a>' in html
    assert '<section class="notice notice-uncertain" id="usikker"' in html
    notes = re.search(r'<ul class="uncertain-notes">(.*?)</ul>', html, re.S).group(1)
    assert "Det kan likevel være Høyre" in notes
    assert "Se merknaden om usikker attribusjon." not in html  # no note that points at nothing


def test_a_source_mostly_by_its_organisation_is_still_published_by_it(client):
    html = client.get("/kilde/h-rusavhengige/").content.decode()  # only the introduction is uncertain
    assert "<dt>Utgitt av</dt>" in html and "Plassert hos" not in html


def test_sources_with_the_same_title_are_named_with_their_organisation(client):
    venstre = client.get("/parti/v/tema/lar/").content.decode()
    assert re.search(r'/kilde/v-rusomsorg/#u\d+">Rusomsorg — Venstre</a>', venstre)
    krf = client.get("/parti/krf/tema/behandling/").content.decode()
    assert re.search(r'/kilde/krf-rusomsorg/#u\d+">Rusomsorg — Kristelig Folkeparti</a>', krf)
    source = client.get("/kilde/v-rusomsorg/").content.decode()
    assert title(source) == "Rusomsorg — Venstre (kilde) · Ruspolitikk"
    assert '<h1>Rusomsorg <span class="title-owner">— Venstre</span></h1>' in source


# --- a serious national service -----------------------------------------------------------------


def test_about_says_who_runs_the_site_and_how_to_report_an_error(client, settings):
    html = client.get("/om/").content.decode()
    assert '<h2 id="hvem">Hvem står bak, og hvorfor</h2>' in html
    assert "uavhengig og partipolitisk nøytralt prosjekt" in html
    assert "Har vi gjort en feil?" in html and "mailto:" not in html
    settings.CONTACT_EMAIL = "feil@example.org"
    from ruspolitikk.pagecache import data_changed

    data_changed()
    html = client.get("/om/").content.decode()
    assert '<a href="mailto:feil@example.org">feil@example.org</a>' in html


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/", "Hva mener partiene om ruspolitikk? · Ruspolitikk"),
        ("/parti/frp/", "Fremskrittspartiet: standpunkter i ruspolitikken · Ruspolitikk"),
        ("/tema/sproyterom/", "Hva partiene mener om sprøyterom og brukerrom · Ruspolitikk"),
        ("/parti/frp/tema/har/", "Fremskrittspartiet om heroinassistert behandling (HAR) · Ruspolitikk"),
        ("/om/", "Om Ruspolitikk og dataene · Ruspolitikk"),
    ],
)
def test_page_titles_say_what_the_page_is(client, path, expected):
    assert title(client.get(path).content.decode()) == expected


def test_every_page_carries_an_open_graph_and_twitter_card(client):
    html = client.get("/parti/frp/tema/har/").content.decode()
    assert meta(html, "og:title") == "Fremskrittspartiet om heroinassistert behandling (HAR): mot"
    assert meta(html, "og:description") == "Sier nei til å ta heroinassistert behandling inn i LAR."
    assert meta(html, "og:url") == "http://testserver/parti/frp/tema/har/"
    assert meta(html, "og:type") == "website"
    assert meta(html, "og:locale") == "nb_NO"
    assert meta(html, "og:image") == "http://testserver/static/img/card.png"
    assert meta(html, "twitter:card") == "summary"
    assert (Path(settings.BASE_DIR) / "static/img/card.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_an_organisations_card_says_how_much_it_has_stated(client):
    html = client.get("/parti/frp/").content.decode()
    expected = "Hva Fremskrittspartiet har skrevet om ruspolitikken: 7 av 14 temaer uttalt"
    assert meta(html, "og:description").startswith(expected)
    english = client.get("/en/parti/frp/").content.decode()
    expected = "What Fremskrittspartiet has written on drug policy: 7 of 14"
    assert meta(english, "og:description").startswith(expected)


def test_the_card_url_is_absolute_with_the_canonical_query_and_the_language(client):
    html = client.get("/", {"standpunkt": "sproyterom:for", "niva": "national"}).content.decode()
    assert unescape(meta(html, "og:url")) == "http://testserver/?standpunkt=sproyterom%3Afor&niva=national"
    english = client.get("/en/tema/lar/").content.decode()
    assert meta(english, "og:url") == "http://testserver/en/tema/lar/"
    assert meta(english, "og:locale") == "en_GB"
    expected = "What the parties think about opioid agonist treatment (LAR)"
    assert meta(english, "og:title") == expected


def test_the_favicon_is_linked_and_favicon_ico_does_not_404(client):
    html = client.get("/").content.decode()
    assert '<link rel="icon" href="/static/img/favicon.svg" type="image/svg+xml">' in html
    assert (Path(settings.BASE_DIR) / "static/img/favicon.svg").read_text().startswith("<svg")
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/img/favicon.svg"
    assert "Set-Cookie" not in response
    assert client.post("/favicon.ico").status_code == 405


def test_a_cell_has_a_real_link_to_itself_and_a_copy_button_for_javascript(client):
    for headers in [{}, {"HTTP_HX_REQUEST": "true"}]:  # the page and the panel's fragment
        html = client.get("/parti/frp/tema/har/", **headers).content.decode()
        link = '<a id="lenke-frp-har" href="http://testserver/parti/frp/tema/har/">Lenke til denne ruten</a>'
        assert link in html
        button = re.search(r"<button [^>]*data-copy-link=\"lenke-frp-har\"[^>]*>", html).group(0)
        assert " hidden" in button  # useless without JavaScript, so shown by site.js
        assert 'data-copied="Lenken er kopiert."' in button
        assert '<span class="copy-status" role="status" data-copy-status></span>' in html
