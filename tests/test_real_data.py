"""The shared ``real_data`` fixture: the committed fixtures, once per module, isolated per test."""

import pytest

from parties.models import Organisation
from positions.models import Stance

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]


def test_real_data_has_every_organisation_and_every_cell():
    assert Organisation.objects.count() == 12
    assert Stance.objects.count() == 12 * 14


def test_a_write_in_one_test_is_rolled_back():
    Stance.objects.all().delete()

    assert not Stance.objects.exists()


def test_so_the_next_test_sees_the_data_again():
    assert Stance.objects.count() == 12 * 14
