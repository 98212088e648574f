"""PostgreSQL: the plan of the grid's source dates at a few thousand statements, read with EXPLAIN
(FORMAT JSON). The published statements of a page's organisations come from the covering index
alone, grouped by source, and each group looks its source up by key: joining every statement to its
source, or an EXISTS answered from a hash of the matching sources, made the planner read all the
country's sources for every page (7.5 and 4.6 ms at national size)."""

import json

import pytest

from parties.models import Organisation
from positions.grid import source_date_groups
from tests.positions.test_search_plan import nodes, plan_of
from tests.scale import make_scale_world, vacuum_analyse

# Committed, not in a test transaction: VACUUM cannot run in one, and an index-only scan needs the
# visibility map it sets.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

INDEX = "statement_published_by_source"


@pytest.fixture
def thousands():
    make_scale_world(organisations=200, topics=2, statements_per_organisation=20)  # 4,000 statements
    vacuum_analyse()


def test_source_dates_read_the_covering_index_and_look_each_source_up_by_its_key(thousands):
    page = list(Organisation.objects.values_list("pk", flat=True)[:50])
    assert len(list(source_date_groups(page))) == 50  # one source each: a row per organisation
    plan = plan_of(source_date_groups(page))
    steps = list(nodes(plan))
    statements = [step for step in steps if step.get("Relation Name") == "positions_statement"]
    assert [(step["Node Type"], step.get("Index Name")) for step in statements] == [
        ("Index Only Scan", INDEX)
    ], json.dumps(plan, indent=1)
    sources = [step for step in steps if step.get("Relation Name") == "positions_source"]
    # By key: an index scan of the primary key, or a bitmap of it (the planner's choice per run).
    assert [step["Parent Relationship"] for step in sources] == ["SubPlan"], json.dumps(plan, indent=1)
    [source] = sources
    by_key = [source, *source.get("Plans", [])]
    assert any(step.get("Index Name") == "positions_source_pkey" for step in by_key), json.dumps(
        plan, indent=1
    )
    assert not any("Join" in step["Node Type"] or step["Node Type"] == "Nested Loop" for step in steps)
