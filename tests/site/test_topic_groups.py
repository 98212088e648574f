"""The topic page at scale (issue 8): organisations grouped by stance with counts, each group paged
10 at a time with ``stilling=<value>&side=<n>``; plain links without JavaScript, a swap of the group's
list with htmx; bad parameters are a 400 or 404 in Norwegian, never a 500."""

import re

import pytest
from django.http import QueryDict

from positions.filters import topic_query
from positions.models import Stance
from positions.views import TOPIC_GROUP_PER_PAGE
from ruspolitikk.synthetic.generate import generate
from tests.conftest import load_real_data

pytestmark = pytest.mark.django_db

CARD = re.compile(r'<li class="stance-item" id="([a-z0-9-]+)">')


def group_html(html: str, value: str) -> str:
    return html.split(f'id="group-{value}"')[1].split("</section>")[0]


@pytest.fixture
def many():
    generate(seed=1, organisations=120, topics=12, statements=1500)


def largest_group(topic_slug: str) -> tuple[str, set[str]]:
    """The stance value most organisations hold on the topic, and their slugs (published stances)."""
    holders: dict[str, set[str]] = {}
    for value, slug in (
        Stance.objects.published().filter(topic__slug=topic_slug).values_list("value", "organisation__slug")
    ):
        holders.setdefault(value, set()).add(slug)
    return max(holders.items(), key=lambda item: len(item[1]))


def test_a_large_group_is_paged_and_the_pages_together_hold_every_member(client, many):
    value, members = largest_group("lar")
    assert len(members) > TOPIC_GROUP_PER_PAGE  # the data set is big enough to page
    first = client.get("/tema/lar/").content.decode()
    group = group_html(first, value)
    assert f'<span class="count">({len(members)})</span>' in group
    seen = CARD.findall(group)
    assert len(seen) == TOPIC_GROUP_PER_PAGE
    assert f'href="/tema/lar/?stilling={value}&amp;side=2#group-{value}"' in group  # a plain link
    pages = -(-len(members) // TOPIC_GROUP_PER_PAGE)
    for number in range(2, pages + 1):
        response = client.get("/tema/lar/", {"stilling": value, "side": number})
        assert response.status_code == 200
        seen += CARD.findall(group_html(response.content.decode(), value))
    assert len(seen) == len(set(seen))  # no organisation on two pages
    assert set(seen) == members


def test_with_htmx_the_page_link_swaps_only_the_groups_list(client, many):
    value, _members = largest_group("lar")
    html = group_html(client.get("/tema/lar/").content.decode(), value)
    assert (
        f'data-hx-get="/tema/lar/?stilling={value}&amp;side=2" data-hx-target="#group-list-{value}"' in html
    )
    fragment = client.get("/tema/lar/", {"stilling": value, "side": 2}, headers={"HX-Request": "true"})
    text = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in text and "distribution-table" not in text
    assert len(CARD.findall(text)) >= 1 and 'aria-current="page"' in text


def test_the_distribution_counts_every_organisation_but_names_only_the_shown_page(client, many):
    html = client.get("/tema/lar/").content.decode()
    table = html.split('class="distribution-table"')[1].split("</table>")[0]
    counts = [int(n) for n in re.findall(r"</th><td>(\d+)</td>", table)]
    assert sum(counts) == len(re.findall(r'<li class="stance-item"', html)) + sum(
        int(n) for n in re.findall(r"og (\d+) til", table)
    )


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ({"stilling": "kanskje"}, 400, "er ikke en gyldig stilling"),
        ({"stilling": ["for", "against"]}, 400, "er ikke en gyldig stilling"),
        ({"side": "2"}, 400, "Sidetallet gjelder én gruppe"),
        ({"stilling": "for", "side": "to"}, 400, "Sidetallet «to» er ikke gyldig"),
        ({"stilling": "for", "side": "0"}, 400, "Sidetallet «0» er ikke gyldig"),
        ({"stilling": "for", "side": "99"}, 404, "side 99 finnes ikke"),
    ],
)
def test_bad_group_parameters_are_answered_in_norwegian(client, query, status, message):
    load_real_data()
    response = client.get("/tema/lar/", query)
    assert response.status_code == status
    assert message in response.content.decode()


def test_an_unknown_topic_is_a_404_even_with_bad_parameters(client):
    load_real_data()
    assert client.get("/tema/finnes-ikke/", {"stilling": "kanskje"}).status_code == 404


def test_equal_topic_pages_share_one_canonical_query():
    assert topic_query(QueryDict("side=1&stilling=FOR&niva=county&niva=national")) == (
        "niva=national&niva=county&stilling=for"
    )
    assert topic_query(QueryDict("stilling=against&side=3")) == "stilling=against&side=3"
    assert topic_query(QueryDict("")) == ""


def test_the_groups_are_read_once_per_data_version_and_again_after_a_publish(client, many):
    """Every organisation's shown value is kept under the data's version: another page of the topic
    reads only what it shows; a publish that moves an organisation is seen at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    value, members = largest_group("lar")
    assert value != "none"  # the set's largest group states a stance, so "none" is a move out of it
    with CaptureQueriesContext(connection) as first:
        client.get("/tema/lar/")
    with CaptureQueriesContext(connection) as again:
        html = client.get("/tema/lar/", {"stilling": value, "side": 2}).getvalue().decode()
    assert len(again) == len(first) - 2  # not the shown values, not the organisations' order
    assert set(CARD.findall(group_html(html, value))) <= members
    moved = Stance.objects.published().get(topic__slug="lar", organisation__slug=sorted(members)[0])
    moved.value = "none"
    moved.save()  # a publish: a new data version
    html = client.get("/tema/lar/", {"stilling": value}).getvalue().decode()
    count = re.search(rf'id="group-{value}">.*?<span class="count">\((\d+)\)</span>', html, re.S)
    assert int(count[1]) == len(members) - 1
