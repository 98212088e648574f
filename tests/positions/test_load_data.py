"""load_data: the fixtures and the editorial roles in one step, with no noise in the history."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from parties.models import Organisation
from positions.models import Stance, Statement

pytestmark = pytest.mark.django_db


def test_load_data_loads_every_row_and_the_roles_but_no_history():
    call_command("load_data", verbosity=0)
    assert Organisation.objects.count() == 12
    assert Stance.objects.count() == 12 * 14
    assert Statement.objects.count() > 200
    assert set(Group.objects.values_list("name", flat=True)) >= {"Redaktør", "Bidragsyter"}
    assert Stance.history.count() == 0
    assert Statement.history.count() == 0


def test_loading_twice_changes_nothing():
    call_command("load_data", verbosity=0)
    call_command("load_data", verbosity=0)
    assert Stance.objects.count() == 12 * 14
    assert Group.objects.filter(name="Redaktør").count() == 1


def test_load_data_leaves_the_planner_statistics_of_what_it_loaded():
    """Without them PostgreSQL plans the grid as if the tables were empty until autovacuum comes."""
    from django.db import connection

    call_command("load_data", verbosity=0)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # reltuples is -1 for a table never analysed (and, in a test's transaction, never vacuumed)
            cursor.execute(
                "SELECT relname, reltuples FROM pg_class WHERE relname IN "
                "('positions_stance', 'positions_statement', 'positions_stance_evidence')"
            )
            assert {name: rows for name, rows in cursor.fetchall()} == {
                "positions_stance": Stance.objects.count(),
                "positions_statement": Statement.objects.count(),
                "positions_stance_evidence": Stance.evidence.through.objects.count(),
            }
        else:
            cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
            assert {"positions_stance", "positions_statement"} <= {row[0] for row in cursor.fetchall()}
