"""PostgreSQL: the plans of the real search at a few thousand statements, read with EXPLAIN (FORMAT
JSON): the match (filters and the limit of ranked matches) is a Bitmap Index Scan on
positions_statement_search_gin; the ranking (ts_rank, ts_headline, order) reads only the ids found."""

import json

import pytest
from django.db import connection

from positions.search import matching_queryset, ranked_queryset, search_statements
from tests.scale import make_scale_world

# Committed, not in a test transaction: VACUUM cannot run in one, and without it the GIN index's
# metapage statistics (entries, pages) are those of an empty index and its cost estimate is bogus.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

GIN = "positions_statement_search_gin"


def nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def plan_of(queryset) -> dict:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql, params)
        [[document]] = cursor.fetchall()
    document = json.loads(document) if isinstance(document, str) else document
    return document[0]["Plan"]


@pytest.fixture
def thousands():
    make_scale_world(organisations=100, topics=2, statements_per_organisation=30)  # 3,000 statements
    with connection.cursor() as cursor:  # what autovacuum does in production
        cursor.execute("VACUUM ANALYZE positions_statement")
        cursor.execute("VACUUM ANALYZE positions_statement_topics")


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
def test_the_real_matching_query_is_served_by_the_gin_index(thousands, query, filters):
    """Filters and the limit of ranked matches included; planner settings as in production."""
    assert search_statements(query, **filters)  # the plan is of a search that finds something
    plan = plan_of(matching_queryset(query, **filters))
    assert uses_the_gin_index(plan), json.dumps(plan, indent=1)


@pytest.mark.parametrize(("query", "filters"), QUERIES)
def test_the_ranking_reads_only_the_statements_found(thousands, query, filters):
    """ts_rank and ts_headline over the ids the match found, by primary key: never a scan of the
    table, so ranking costs the same whatever its size."""
    ids = list(matching_queryset(query, **filters))
    plan = plan_of(ranked_queryset(query, ids))
    scans = {(node["Node Type"], node.get("Relation Name")) for node in nodes(plan)}
    assert ("Seq Scan", "positions_statement") not in scans, json.dumps(plan, indent=1)
    assert any(
        node["Node Type"] in {"Index Scan", "Bitmap Index Scan"}
        and node.get("Index Name") == "positions_statement_pkey"
        for node in nodes(plan)
    ), json.dumps(plan, indent=1)
