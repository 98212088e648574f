"""Every public page over the real fixtures: status, key content, fragments, Vary, filters, errors."""

import re

import pytest

from parties.models import Organisation
from positions.models import Source, Stance, Statement, Topic
from tests.site.htmlcheck import check_html

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]

HTMX = {"HTTP_HX_REQUEST": "true"}
NATIONAL = ["ap", "h", "frp", "sv", "sp", "krf", "v", "mdg", "r"]


def row_slugs(response) -> list[str]:
    """Organisation slugs of the grid's rows, in order."""
    return re.findall(r'<th scope="row">\s*<a href="/parti/([a-z0-9-]+)/"', response.content.decode())


def vary(response) -> set[str]:
    return {part.strip() for part in response.get("Vary", "").split(",")}


# --- the grid -----------------------------------------------------------------------------------


def test_home_shows_every_national_party_and_every_topic(client):
    response = client.get("/")
    assert response.status_code == 200
    assert sorted(row_slugs(response)) == sorted(NATIONAL)
    html = response.content.decode()
    for topic in Topic.objects.all():
        assert f'href="/tema/{topic.slug}/"' in html
    assert '<th scope="col">' in html and "<caption" in html
    assert "HX-Request" in vary(response)


def test_home_cells_show_text_and_icon_and_link_to_their_evidence(client):
    stance = Stance.objects.published().get(organisation__slug="frp", topic__slug="har")
    html = client.get("/").content.decode()
    cell = html.split('href="/parti/frp/tema/har/"')[1].split("</td>")[0]
    assert 'data-hx-get="/parti/frp/tema/har/"' in cell
    assert '<span class="badge-icon" aria-hidden="true">✗</span> mot' in cell
    assert stance.summary in cell  # the one-line summary, shown on hover/focus


def test_home_fragment_for_htmx_is_only_the_results(client):
    response = client.get("/", {"standpunkt": "lar:for"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<form" not in html
    assert "<table" in html and "data-status" in html
    assert "HX-Request" in vary(response)


def test_htmx_history_restore_gets_the_full_page(client):
    response = client.get("/", HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in response.content.decode()


def test_filter_form_has_a_real_action_and_pushes_the_url(client):
    html = client.get("/").content.decode()
    form = html.split('<form class="filters"')[1].split(">")[0]
    assert 'action="/#tabell"' in form  # no JavaScript: land on the results and 'method="get"' in form
    assert 'data-hx-get="/"' in form and 'data-hx-push-url="true"' in form


def test_levels_are_one_click_away(client):
    html = client.get("/").content.decode()
    for level in ["county", "municipal", "youth"]:
        assert f'href="/?niva={level}"' in html
    assert row_slugs(client.get("/", {"niva": "county"})) == ["innlandet-venstre"]
    assert row_slugs(client.get("/", {"niva": "youth"})) == ["senterungdommen"]
    assert len(row_slugs(client.get("/", {"niva": ["national", "county", "municipal", "youth"]}))) == 12


def test_named_organisations_are_shown_whatever_their_level(client):
    assert row_slugs(client.get("/", {"parti": ["v", "horten-venstre"]})) == ["v", "horten-venstre"]


def test_topic_filter_limits_the_columns(client):
    html = client.get("/", {"tema": ["lar", "tvang"]}).content.decode()
    header = html.split("<thead>")[1].split("</thead>")[0]
    assert re.findall(r'href="/tema/([a-z-]+)/"', header) == ["lar", "tvang"]


def expected_with(topic: str, value: str, levels) -> set[str]:
    orgs = Organisation.objects.filter(level__in=levels)
    if value == "none":
        stated = Stance.objects.published().filter(topic__slug=topic).exclude(value="none")
        return set(orgs.exclude(stances__in=stated).values_list("slug", flat=True))
    return set(
        orgs.filter(
            stances__in=Stance.objects.published().filter(topic__slug=topic, value=value)
        ).values_list("slug", flat=True)
    )


@pytest.mark.parametrize("value", ["for", "partly", "against", "none"])
def test_one_stance_filter_keeps_exactly_the_matching_organisations(client, value):
    every_level = ["national", "county", "municipal", "youth"]
    rows = row_slugs(client.get("/", {"standpunkt": f"avkriminalisering:{value}"}))
    assert set(rows) == expected_with("avkriminalisering", value, every_level)  # a stance filter: every level
    rows = row_slugs(client.get("/", {"standpunkt": f"avkriminalisering:{value}", "niva": "national"}))
    assert set(rows) == expected_with("avkriminalisering", value, ["national"])


def test_two_stance_filters_are_combined_with_and(client):
    every_level = ["national", "county", "municipal", "youth"]
    query = {"standpunkt": ["sproyterom:for", "tvang:against"], "niva": every_level}
    rows = set(row_slugs(client.get("/", query)))
    assert rows == expected_with("sproyterom", "for", every_level) & expected_with(
        "tvang", "against", every_level
    )
    assert rows == {"innlandet-venstre"}  # the journalist's question, answered
    assert set(row_slugs(client.get("/", {**query, "standpunkt": ["sproyterom:for"]}))) > rows


@pytest.mark.parametrize(
    ("url", "queries", "shown"),
    [
        # Topics, the national parties (rows and form in one read), their stances and sources' dates.
        ("/", 4, 'class="cell-link"'),
        ("/parti/ap/tema/lar/", 4, "<blockquote"),  # the grid finds the organisation and the topic
        ("/tema/lar/", 7, "<blockquote"),  # every value, unquoted (3); the shown pages, quoted (4)
        # The grid (4) and its source dates; its sources (how many, the newest) and its branches (how
        # many, the first) or its parent party.
        ("/parti/ap/", 9, "<blockquote"),
        ("/parti/innlandet-venstre/", 8, "<blockquote"),
        ("/sammenlign/?parti=ap&parti=h&parti=frp", 4, "<blockquote"),
        ("/eksport.csv", 4, "/kilde/r-rus/#u"),  # a chunk of the national parties: the grid's 4
    ],
)
def test_each_page_costs_a_fixed_number_of_queries(client, django_assert_num_queries, url, queries, shown):
    """Every quote shown needs its source and organisation: none of them may cost a query of its own."""
    with django_assert_num_queries(queries):
        body = client.get(url).getvalue().decode()  # the exports are streamed
    assert shown in body


# --- bad input: 400, notices, 404 ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ({"standpunkt": "foo"}, "Standpunktfilteret «foo» er ikke forstått"),
        ({"standpunkt": "lar:kanskje"}, "«lar:kanskje»"),
        ({"standpunkt": "finnesikke:for"}, "finnesikke"),
        ({"standpunkt": ["lar:for", "lar:against"]}, "mer enn ett standpunktfilter"),
        ({"niva": "galakse"}, "Nivået «galakse» finnes ikke"),
        ({"parti": "<script>"}, "er ikke en gyldig verdi for «parti»"),
        ({"tema": "LAR!"}, "er ikke en gyldig verdi for «tema»"),
    ],
)
def test_malformed_filters_get_400_with_a_plain_message(client, query, says):
    response = client.get("/", query)
    assert response.status_code == 400
    html = response.content.decode()
    assert says.replace("<", "&lt;").replace(">", "&gt;") in html
    assert "<script>" not in html.split("<body>")[1].replace('<script src="', "")


def test_unknown_party_is_a_notice_not_an_error(client):
    response = client.get("/", {"parti": ["v", "piratpartiet"]})
    assert response.status_code == 200
    assert "<code>piratpartiet</code>" in response.content.decode()
    assert row_slugs(response) == ["v"]


def test_unknown_topic_is_a_notice_not_an_error(client):
    response = client.get("/", {"tema": ["lar", "tull"]})
    assert response.status_code == 200
    assert "<code>tull</code>" in response.content.decode()


@pytest.mark.parametrize(
    "url", ["/parti/nope/", "/tema/nope/", "/kilde/nope/", "/parti/nope/tema/lar/", "/parti/v/tema/nope/"]
)
def test_unknown_things_in_paths_are_404(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Fant ikke siden" in response.content.decode()


def test_only_get_and_head_are_allowed(client):
    assert client.post("/").status_code == 405
    # Link checkers and monitors ask with HEAD; they get the headers of the GET.
    head = client.head("/tema/lar/")
    assert head.status_code == 200
    assert head.content == b""


# --- evidence -----------------------------------------------------------------------------------


def test_cell_page_shows_stance_summary_and_every_quote_with_its_source(client):
    stance = Stance.objects.published().get(organisation__slug="ap", topic__slug="avkriminalisering")
    response = client.get("/parti/ap/tema/avkriminalisering/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html and stance.summary in html
    for statement in stance.evidence.published():
        assert statement.text in html
        assert f'href="/kilde/{statement.source.slug}/#{statement.anchor}"' in html
        assert statement.source.date_label in html
    assert "Arbeiderpartiet (nasjonalt)" in html
    assert "HX-Request" in vary(response)


def test_cell_fragment_for_htmx(client):
    response = client.get("/parti/ap/tema/avkriminalisering/", **HTMX)
    html = response.content.decode()
    assert "<html" not in html and 'id="evidence-title"' in html
    assert check_html(html, fragment=True).errors == []


def test_not_stated_cell_says_so(client):
    stance = Stance.objects.published().filter(value="none").select_related("organisation", "topic").first()
    html = client.get(f"/parti/{stance.organisation.slug}/tema/{stance.topic.slug}/").content.decode()
    assert "ikke uttalt" in html


# --- organisation, topic, source ----------------------------------------------------------------


def test_organisation_page_has_every_topic_its_sources_and_branches(client):
    html = client.get("/parti/v/").content.decode()
    for topic in Topic.objects.all():
        assert topic.name in html
    for source in Source.objects.filter(organisation__slug="v"):
        assert f'href="/kilde/{source.slug}/"' in html
    assert 'href="/parti/innlandet-venstre/"' in html and 'href="/parti/horten-venstre/"' in html


def test_branch_page_links_its_parent_party(client):
    html = client.get("/parti/horten-venstre/").content.decode()
    assert "Moderparti" in html and 'href="/parti/v/"' in html


def test_topic_page_has_explainer_svg_and_its_text_equivalent(client):
    topic = Topic.objects.get(slug="sproyterom")
    response = client.get("/tema/sproyterom/")
    html = response.content.decode()
    assert topic.explainer in html
    assert '<svg class="chart"' in html and 'role="img"' in html
    assert 'class="distribution-table"' in html
    shown_for = set(
        Stance.objects.published()
        .filter(topic=topic, value="for")
        .values_list("organisation__slug", flat=True)
    )
    group = html.split('id="group-for"')[1].split("</section>")[0]
    assert set(re.findall(r'<h3><a href="/parti/([a-z0-9-]+)/"', group)) == shown_for


def test_topic_page_can_be_limited_to_a_level(client):
    html = client.get("/tema/lar/", {"niva": "national"}).content.decode()
    assert "Horten Venstre" not in html.split('class="distribution-table"')[1].split("</table>")[0]
    assert client.get("/tema/lar/", {"niva": "x"}).status_code == 400


def test_source_page_marks_every_published_statement_verbatim(client):
    source = Source.objects.get(slug="v-rusomsorg")
    html = client.get(f"/kilde/{source.slug}/").content.decode()
    statements = Statement.objects.published().filter(source=source)
    assert statements
    for statement in statements:
        span = re.search(rf'id="{statement.anchor}">(.*?)</span>', html, re.S).group(1)
        assert span == statement.text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace(
            '"', "&quot;"
        ).replace("'", "&#x27;")
        assert f'href="#{statement.anchor}"' in html


def test_source_page_flags_uncertain_attributions_with_their_note(client):
    statement = Statement.objects.published().filter(confidence="uncertain").select_related("source").first()
    html = client.get(f"/kilde/{statement.source.slug}/").content.decode()
    assert "Usikker attribusjon" in html
    assert "stmt-uncertain" in html
    from django.utils.html import escape

    assert escape(statement.attribution_note) in html


# --- compare ------------------------------------------------------------------------------------


def test_compare_two_parties_highlights_differences(client):
    response = client.get("/sammenlign/", {"parti": ["ap", "frp"]})
    assert response.status_code == 200
    html = response.content.decode()
    differing = sum(  # two different stated positions; "none" is no position
        1
        for topic in Topic.objects.all()
        if len(
            set(
                Stance.objects.published()
                .filter(topic=topic, organisation__slug__in=["ap", "frp"])
                .exclude(value="none")
                .values_list("value", flat=True)
            )
        )
        > 1
    )
    assert html.count('<tr class="differs">') == differing
    assert html.count("<tr class=") == Topic.objects.count()


def test_compare_keeps_the_order_asked_for(client):
    html = client.get("/sammenlign/", {"parti": ["r", "h", "v", "sp"]}).content.decode()
    header = html.split("<thead>")[1].split("</thead>")[0]
    assert re.findall(r'href="/parti/([a-z-]+)/"', header) == ["r", "h", "v", "sp"]


def test_compare_needs_two_and_allows_at_most_four(client):
    assert "Velg minst 2" in client.get("/sammenlign/", {"parti": "ap"}).content.decode()
    assert client.get("/sammenlign/").status_code == 200
    response = client.get("/sammenlign/", {"parti": ["ap", "h", "frp", "sv", "sp"]})
    assert response.status_code == 400
    assert "høyst 4" in response.content.decode()


def test_compare_unknown_party_is_a_notice(client):
    response = client.get("/sammenlign/", {"parti": ["ap", "h", "ukjent"]})
    assert response.status_code == 200
    assert "<code>ukjent</code>" in response.content.decode()


# --- search -------------------------------------------------------------------------------------


def test_search_finds_and_highlights(client):
    response = client.get("/sok/", {"q": "sprøyterom"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<mark>sprøyterom</mark>" in html
    assert 'href="/kilde/' in html and "#u" in html
    assert "HX-Request" in vary(response)


def test_search_filters_by_party(client):
    html = client.get("/sok/", {"q": "behandling", "parti": "frp"}).content.decode()
    hits = re.findall(r'<p class="hit-meta">\s*<a href="/parti/([a-z0-9-]+)/"', html)
    assert hits and set(hits) == {"frp"}


def test_search_fragment_for_htmx(client):
    html = client.get("/sok/", {"q": "LAR"}, **HTMX).content.decode()
    assert "<html" not in html and 'class="hits"' in html


def test_search_without_query_shows_the_form(client):
    response = client.get("/sok/")
    assert response.status_code == 200
    assert 'name="q"' in response.content.decode()


def test_search_bad_filter_is_400(client):
    assert client.get("/sok/", {"q": "lar", "niva": "mars"}).status_code == 400


# --- about --------------------------------------------------------------------------------------


def test_about_documents_every_export_column(client):
    from positions.export import CSV_COLUMNS

    html = client.get("/om/").content.decode()
    for column in CSV_COLUMNS:
        assert f"<code>{column}</code>" in html


def test_the_filter_form_names_the_parties_youth_wings_and_any_organisation_asked_for(client):
    def offered(response):
        return re.findall(r'name="parti" value="([^"]+)"( checked)?', response.content.decode())

    parties = set(Organisation.objects.filter(level__in=["national", "youth"]).values_list("slug", flat=True))
    assert {slug for slug, _checked in offered(client.get("/"))} == parties
    asked = offered(client.get("/", {"parti": ["horten-venstre", "ap"]}))
    assert {slug for slug, _checked in asked} == parties | {"horten-venstre"}
    assert {slug for slug, checked in asked if checked} == {"horten-venstre", "ap"}
    # The compare and search forms offer the same, with or without a grid read behind them.
    for url in ["/sammenlign/", "/sammenlign/?parti=horten-venstre&parti=ap", "/sok/?q=zzzz"]:
        assert {slug for slug, _checked in offered(client.get(url))} >= parties
