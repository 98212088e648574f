"""The result's ranking in pages (20 organisations a page) on a synthetic set of many branches:
ranks stay global, page links keep every choice, the JSON keeps the whole ranking, and the page
costs the same queries whatever the number of organisations."""

import re
from urllib.parse import parse_qsl, urlsplit

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ruspolitikk.bench.render import valgomat_result_path
from ruspolitikk.synthetic.generate import generate
from tests.conftest import load_real_data
from valgomat.views import PER_PAGE

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}
ORGANISATIONS = 70  # every level: four pages of 20


@pytest.fixture
def many(db):
    generate(seed=1, organisations=ORGANISATIONS, topics=10, statements=1500)


def result_path(**extra) -> str:
    """Every topic answered, every third important, every level, Euclidean distance."""
    path = valgomat_result_path(all_levels=True) + "&avstand=euklidsk"
    return path + "".join(f"&{name}={value}" for name, value in extra.items())


def shown(html: str) -> list[tuple[str, str]]:
    """(rank label, name) of each organisation on the page, in order."""
    return re.findall(
        r'<svg class="swatch"[^>]*>.*?</svg>(?:<span class="rank">([^<]*)</span> )?([^<]+)', html
    )


def whole_ranking(client) -> list[dict]:
    response = client.get(result_path().replace("/resultat/", "/resultat.json"))
    assert response.status_code == 200
    return response.json()["results"]


def test_page_two_starts_at_rank_21_and_ranks_and_ties_stay_global(client, many):
    results = whole_ranking(client)
    assert len(results) > 3 * PER_PAGE
    response = client.get(result_path(side=2))
    assert response.status_code == 200
    html = response.content.decode()
    rows = shown(html)
    assert len(rows) == PER_PAGE
    assert [name.strip() for _rank, name in rows] == [r["name"] for r in results[PER_PAGE : 2 * PER_PAGE]]
    assert '<ol class="valgomat-results" start="21">' in html
    assert f"Viser 21–40 av {len(results)} organisasjoner" in html
    ranks = [r["rank"] for r in results]
    for (label, _name), result in zip(rows, results[PER_PAGE:], strict=False):
        tied = ranks.count(result["rank"]) > 1  # counted over every page, not this one
        expected = f"Delt {result['rank']}. plass:" if tied else f"{result['rank']}. plass:"
        assert label == expected
    assert results[PER_PAGE]["rank"] >= PER_PAGE // 2  # a global rank, not one counted on the page
    assert not shown(html)[0][0].startswith("1. ")


def test_every_page_together_is_the_json_ranking_in_order(client, many):
    results = whole_ranking(client)
    names, page = [], 1
    while (response := client.get(result_path(side=page))).status_code == 200:
        names += [name.strip() for _rank, name in shown(response.content.decode())]
        page += 1
    assert response.status_code == 404
    assert names == [r["name"] for r in results]
    assert [r["rank"] for r in results if r["rank"]] == sorted(r["rank"] for r in results if r["rank"])
    assert all(len(r["questions"]) == 10 for r in results)  # the JSON still explains every organisation


def test_page_links_keep_every_answer_and_option_and_work_with_htmx(client, many):
    html = client.get(result_path()).content.decode()
    next_link = re.search(r'<a href="([^"]+)" rel="next" data-hx-get="([^"]+)"', html)
    assert next_link, "no link to page 2"
    href, hx_get = (value.replace("&amp;", "&") for value in next_link.groups())
    assert href == hx_get + "#rangering"
    asked = sorted(parse_qsl(urlsplit(result_path()).query))
    linked = parse_qsl(urlsplit(hx_get).query)
    assert ("side", "2") in linked
    assert sorted(pair for pair in linked if pair[0] != "side") == asked
    assert {"svar", "viktig", "avstand", "niva"} <= {name for name, _value in linked}
    assert 'data-hx-target="#ranking"' in html and 'data-hx-push-url="true"' in html

    fragment = client.get(hx_get, headers=HTMX)
    assert fragment.status_code == 200
    body = fragment.content.decode()
    assert "<html" not in body and '<ol class="valgomat-results" start="21">' in body
    assert fragment.has_header("Vary") and "HX-Request" in fragment["Vary"]


def test_a_page_past_the_last_is_a_404_that_says_so(client, many):
    pages = -(-len(whole_ranking(client)) // PER_PAGE)
    assert client.get(result_path(side=pages)).status_code == 200
    response = client.get(result_path(side=pages + 1))
    assert response.status_code == 404
    assert (
        f"Rangeringen har bare {pages} sider, så side {pages + 1} finnes ikke." in response.content.decode()
    )


@pytest.mark.parametrize("side", ["abc", "0", "-1", "2.5"])
def test_a_malformed_page_is_a_400_that_names_it(client, many, side):
    response = client.get(result_path(side=side))
    assert response.status_code == 400
    assert f"«{side}»" in response.content.decode()


def test_the_page_number_is_part_of_the_cached_page_and_page_1_is_no_page(client, many):
    first, same = client.get(result_path()), client.get(result_path(side=1))
    second = client.get(result_path(side=2))
    assert first["ETag"] == same["ETag"] != second["ETag"]
    assert shown(first.content.decode()) != shown(second.content.decode())
    # The JSON is the whole ranking: a page number changes nothing there.
    data = result_path().replace("/resultat/", "/resultat.json")
    assert client.get(data)["ETag"] == client.get(data + "&side=3")["ETag"]


def test_the_seed_fits_on_one_page_without_page_links(client):
    load_real_data()
    html = client.get(valgomat_result_path(all_levels=True)).content.decode()
    assert 'class="pagination"' not in html and "Viser " not in html
    assert 'start="' not in html


def test_the_result_costs_the_same_queries_at_seed_size_and_with_many_branches(client, settings):
    settings.PAGE_CACHE = False
    settings.DATABASE_DEADLINE = 60  # counted, not timed (see tests/site/test_query_counts_at_two_sizes.py)
    client.get("/om/")  # one-off per-process queries (content types, versions) are not the page's

    def counts() -> dict[str, int]:
        pages = {
            "result": valgomat_result_path(),
            "result, every level": valgomat_result_path(all_levels=True),
            "result, every level, last page": valgomat_result_path(all_levels=True) + "&side={last}",
            "JSON, every level": valgomat_result_path(all_levels=True).replace(
                "/resultat/", "/resultat.json"
            ),
        }
        last = -(-len(whole_ranking(client)) // PER_PAGE)
        found = {}
        for page, path in pages.items():
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path.format(last=last))
            assert response.status_code == 200, (page, response.status_code)
            found[page] = len(queries)
        return found

    load_real_data()
    at_seed = counts()
    generate(seed=1, organisations=120, topics=12, statements=4000)
    at_many = counts()
    assert at_many == at_seed
    assert at_seed["result, every level"] <= 4


def test_past_the_last_page_in_english(client, many):
    response = client.get("/en" + result_path(side=99))
    assert response.status_code == 404
    assert "The ranking has only 4 pages, so page 99 does not exist." in response.content.decode()


def test_a_second_voter_reuses_the_stances_read_for_the_first_until_the_data_changes(client, settings):
    """Each voter is a new address (a page-cache miss); the stances every result ranks are read
    once per version of the data, in the shared cache, and read again after a publish."""
    from positions.models import Stance

    settings.PAGE_CACHE = False
    load_real_data()
    first = valgomat_result_path(all_levels=True)
    with CaptureQueriesContext(connection) as cold:
        assert client.get(first).status_code == 200
    other = first.replace("helt-enig", "helt-uenig")
    with CaptureQueriesContext(connection) as warm:
        html = client.get(other).content.decode()
    assert len(warm) == len(cold) - 2  # neither the organisations nor their stances again
    assert "Delvis enig" in html or "% enig" in html

    data = valgomat_result_path(all_levels=True).replace("/resultat/", "/resultat.json")
    before = {r["organisation"]: r["compared"] for r in client.get(data).json()["results"]}
    stance = Stance.objects.published().exclude(value="none").filter(organisation__slug="r").first()
    stance.value = "none"
    stance.save()  # a publish: a new data version
    after = {r["organisation"]: r["compared"] for r in client.get(data).json()["results"]}
    assert after["r"] == before["r"] - 1


def test_kept_standings_naming_an_organisation_that_is_gone_are_read_again_not_a_500(client):
    """A database replaced under the cache keeps its data version: the kept standings may name
    organisations that no longer exist. The result reads them again instead of failing."""
    from django.core.cache import caches

    from valgomat.matching import STANCE_CODES, StanceTable
    from valgomat.standings import Standings, cache_key

    load_real_data()
    path = valgomat_result_path(all_levels=True)
    assert client.get(path).status_code == 200
    kept = caches["default"].get(cache_key(None))
    assert kept is not None
    table = kept.table
    codes = np.vstack([np.full((1, len(table.topics)), STANCE_CODES.index("for"), np.uint8), table.codes])
    names, levels = kept.names_and_levels()
    planted = Standings.of(
        (999_999, *kept.pks),
        ("Et parti som er borte", *names),
        ("national", *levels),
        StanceTable(("borte", *table.organisations), table.topics, codes),
    )
    caches["default"].set(cache_key(None), planted)
    response = client.get(path.replace("helt-enig", "delvis-enig"))  # a new address: no cached page
    assert response.status_code == 200
    assert "Et parti som er borte" not in response.content.decode()
    assert caches["default"].get(cache_key(None)).table.organisations == kept.table.organisations


def test_a_stated_stance_without_published_evidence_is_not_compared_as_on_the_grid(client):
    from positions.models import Stance
    from ruspolitikk.pagecache import data_changed

    load_real_data()
    data = valgomat_result_path(all_levels=True).replace("/resultat/", "/resultat.json")
    before = {r["organisation"]: r for r in client.get(data).json()["results"]}
    stance = Stance.objects.published().exclude(value="none").filter(organisation__slug="r").first()
    stance.evidence.update(status="draft")
    data_changed()
    after = {r["organisation"]: r for r in client.get(data).json()["results"]}
    assert after["r"]["compared"] == before["r"]["compared"] - 1
    shown = next(q for q in after["r"]["questions"] if q["topic"] == stance.topic.slug)
    assert shown["stance"] == "none" and shown["compared"] is False


def test_the_kept_standings_name_each_level_once(many):
    """The JSON unpickles the kept names and levels: with thousands of branches, one string per
    organisation's level was a third of that. Each level is one object, so pickle stores it once."""
    from positions.models import Topic
    from valgomat.standings import read

    _names, their_levels = read(None, dict(Topic.objects.values_list("pk", "slug"))).names_and_levels()
    levels = len(set(their_levels))
    assert len(their_levels) == ORGANISATIONS > levels
    assert len({id(level) for level in their_levels}) == levels
