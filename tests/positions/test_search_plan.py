"""PostgreSQL: the plans of the real search at a few thousand statements, read with EXPLAIN (FORMAT
JSON): the first query (the match with its filters, the limit of ranked matches, ts_rank and the
page's order) has a Bitmap Index Scan on positions_statement_search_gin for the words a probe in id
order does not settle; the second (ts_headline) reads only the page's ids."""

import json

import pytest
from django.db import connection

from positions.search import page_rows_queryset, ranked_page_sql, search_statements
from tests.factories import make_organisation, make_source, make_statement
from tests.scale import make_scale_world, vacuum_analyse

# Committed, not in a test transaction: VACUUM cannot run in one, and without it the GIN index's
# metapage statistics (entries, pages) are those of an empty index and its cost estimate is bogus.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

GIN = "positions_statement_search_gin"


def nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def plan_of(queryset_or_sql) -> dict:
    if isinstance(queryset_or_sql, tuple):
        sql, params = queryset_or_sql
    else:
        sql, params = queryset_or_sql.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        [[document]] = cursor.fetchall()
    document = json.loads(document) if isinstance(document, str) else document
    return document[0]["Plan"]


@pytest.fixture
def thousands():
    make_scale_world(organisations=100, topics=2, statements_per_organisation=30)  # 3,000 statements
    vacuum_analyse()


QUERIES = [
    ("sprøyterom", {}),
    # One search word a statement (tests.scale): two AND-ed words would find nothing there.
    ("behandling", {"levels": ["national"]}),
    ("heroinassistert", {"topics": ["t1"], "levels": ["national", "county"]}),
    ("skole -straff", {"levels": ["national"]}),
]


def uses_the_gin_index(plan: dict) -> bool:
    return any(
        node["Node Type"] == "Bitmap Index Scan" and node.get("Index Name") == GIN for node in nodes(plan)
    )


@pytest.mark.parametrize(("query", "filters"), QUERIES)
def test_the_real_ranked_query_is_served_by_the_gin_index(thousands, query, filters):
    """Filters, the limit of ranked matches, the rank and the page included; planner settings as in
    production."""
    assert search_statements(query, **filters)  # the plan is of a search that finds something
    plan = plan_of(ranked_page_sql(query, **filters))
    assert uses_the_gin_index(plan), json.dumps(plan, indent=1)


@pytest.mark.parametrize(("query", "filters"), QUERIES)
def test_the_headlines_read_only_the_page_shown(thousands, query, filters):
    """ts_headline over the page's ids, by primary key: never a scan of the table, so highlighting
    costs the same whatever its size."""
    ids = [hit.statement.pk for hit in search_statements(query, **filters, limit=20)]
    plan = plan_of(page_rows_queryset(query, ids))
    scans = {(node["Node Type"], node.get("Relation Name")) for node in nodes(plan)}
    assert ("Seq Scan", "positions_statement") not in scans, json.dumps(plan, indent=1)
    assert any(
        node["Node Type"] in {"Index Scan", "Bitmap Index Scan"}
        and node.get("Index Name") == "positions_statement_pkey"
        for node in nodes(plan)
    ), json.dumps(plan, indent=1)


def executed(sql_and_params) -> list[dict]:
    """The plan of the query as it ran (EXPLAIN ANALYZE): its nodes with their ``Actual Loops``."""
    sql, params = sql_and_params
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, params)
        [[document]] = cursor.fetchall()
    document = json.loads(document) if isinstance(document, str) else document
    return list(nodes(document[0]["Plan"]))


def ran(plan_nodes: list[dict], test) -> bool:
    return any(test(node) and node["Actual Loops"] > 0 for node in plan_nodes)


def test_only_a_word_common_among_the_first_candidates_is_probed(monkeypatch):
    """A word in more than one in PROBED_IF_ONE_IN of the first MAX_RANKED candidates is probed in
    id order (the GIN index never runs); a rarer one goes straight to the GIN index (the probe never
    runs): testing thousands of vectors only to hand over to the index was wasted. With a filter
    the probe always comes first: the index behind a filter's fence reads every match."""
    source = make_source(organisation=make_organisation(slug="ap"))
    for n in range(60):
        make_statement(source=source, text=f"Forebygging nummer {n}.")
    for n in range(12):
        make_statement(source=source, text=f"Behandling nummer {n}.")
    monkeypatch.setattr("positions.search.MAX_RANKED", 10)  # a sample of 10, a probe of 50

    def probe(node):
        return node.get("Subplan Name") == "CTE probe"

    def index(node):
        return node.get("Index Name") == GIN

    with connection.cursor() as cursor:  # 72 rows: the planner would rather scan them than the index
        cursor.execute("SET enable_seqscan = off")
    try:
        common = executed(ranked_page_sql("forebygging"))
        rare = executed(ranked_page_sql("behandling"))  # none of the first ten
        filtered = executed(ranked_page_sql("behandling", organisations=["ap"]))
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET enable_seqscan")
    assert ran(common, probe) and not ran(common, index), json.dumps(common, indent=1)
    assert ran(rare, index) and not ran(rare, probe), json.dumps(rare, indent=1)
    assert ran(filtered, probe), json.dumps(filtered, indent=1)
    assert search_statements("behandling", limit=20)  # and the index finds it
