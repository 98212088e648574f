"""Compare counts only real disagreements: two different stated positions.

"for" against "ikke uttalt" is no disagreement and two "ikke uttalt" are no agreement; the page
counts and marks (by text and icon) disagreement, agreement and silence apart. Too many chosen
without JavaScript keeps the selection and explains the limit on the compare page itself.
"""

import re

import pytest

from positions.models import Stance, Topic
from positions.views import agreement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]


@pytest.mark.parametrize(
    ("values", "kind"),
    [
        (["for", "against"], "disagree"),
        (["for", "partly"], "disagree"),
        (["partly", "against"], "disagree"),
        (["for", "none", "against"], "disagree"),
        (["for", "for"], "agree"),
        (["against", "against", "against"], "agree"),
        (["for", "none"], "some_silent"),
        (["partly", "partly", "none"], "some_silent"),
        (["none", "none"], "all_silent"),
    ],
)
def test_agreement_counts_only_stated_positions(values, kind):
    assert agreement(values) == kind


def expected_kinds(slugs: list[str]) -> dict[str, str]:
    """From the database: each topic's kind for these organisations (no stance row is "none")."""
    kinds = {}
    for topic in Topic.objects.all():
        values = dict(
            Stance.objects.published()
            .filter(topic=topic, organisation__slug__in=slugs)
            .values_list("organisation__slug", "value")
        )
        stated = {values.get(slug, "none") for slug in slugs} - {"none"}
        everyone = len(values) == len(slugs) and "none" not in values.values()
        kinds[topic.name] = "disagree" if len(stated) > 1 else "agree" if stated and everyone else "silent"
    return kinds


def row_kinds(html: str) -> dict[str, str]:
    rows = re.findall(
        r'<tr class="(\w+)">\s*<th scope="row"><a href="[^"]+">([^<]+)</a>\s*'
        r'<span class="diff-label">(.*?)</span></th>',
        html,
        re.S,
    )
    by_class = {"differs": "disagree", "same": "agree", "unstated": "silent"}
    return {name: by_class[css] for css, name, _label in rows}


def test_rodt_and_frp_disagree_on_one_topic_only(client):
    response = client.get("/sammenlign/", {"parti": ["r", "frp"]})
    assert response.status_code == 200
    html = response.content.decode()
    kinds = expected_kinds(["r", "frp"])
    assert row_kinds(html) == kinds
    assert list(kinds.values()).count("disagree") == 1  # heroin-assisted treatment: for against against
    count = re.sub(r"\s+", " ", html.split('<p class="result-count">')[1].split("</p>")[0])
    assert count.startswith("Uenige om 1 tema, enige om 4. På 9 temaer har minst én ikke uttalt seg")


def test_each_row_says_its_kind_in_text_and_icon(client):
    html = client.get("/sammenlign/", {"parti": ["r", "frp"]}).content.decode()
    har = html.split('href="/tema/har/">')[1].split("</th>")[0]
    assert '<span aria-hidden="true">≠</span> Uenige' in har
    lar = html.split('href="/tema/lar/">')[1].split("</th>")[0]
    assert '<span aria-hidden="true">=</span> Enige' in lar
    sproyterom = html.split('href="/tema/sproyterom/">')[1].split("</th>")[0]
    assert "Ikke alle har uttalt seg" in sproyterom  # Rødt for, FrP silent
    regulated = html.split('href="/tema/regulert-salg/">')[1].split("</th>")[0]
    assert "Ingen har uttalt seg" in regulated  # both silent: not "likt standpunkt"


@pytest.mark.parametrize("slugs", [["ap", "h", "frp"], ["v", "innlandet-venstre", "horten-venstre", "sp"]])
def test_counts_match_the_rows(client, slugs):
    html = client.get("/sammenlign/", {"parti": slugs}).content.decode()
    assert row_kinds(html) == expected_kinds(slugs)


def test_too_many_keeps_the_selection_and_explains_on_the_compare_page(client):
    chosen = ["ap", "h", "frp", "sv", "sp"]
    response = client.get("/sammenlign/", {"parti": chosen})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<form class="compare-form" action="/sammenlign/" method="get">' in html
    assert sorted(re.findall(r'name="parti" value="([a-z-]+)" checked', html)) == sorted(chosen)
    assert "Du kan sammenligne høyst 4 organisasjoner om gangen, og du valgte 5." in html
    assert "<table" not in html
