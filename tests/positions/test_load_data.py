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
