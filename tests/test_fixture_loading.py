"""tests/conftest.py's bulk fixture loader writes exactly the rows manage.py loaddata writes."""

import json

import pytest
from django.core import serializers
from django.core.management import call_command
from django.db import transaction

from parties.models import Organisation, Party
from positions.models import Source, Stance, Statement, Topic
from tests.conftest import FIXTURE_FILES, load_real_data

MODELS = [Party, Organisation, Topic, Source, Statement, Stance]


def dump() -> dict[str, list]:
    """Every row as the fixture files state it (fields they leave out, like created_at, default
    to the time of loading and differ between two loads)."""
    stated = {}
    for path in FIXTURE_FILES:
        for entry in json.loads(path.read_text(encoding="utf-8")):
            stated.setdefault(entry["model"], set()).update(entry["fields"])
    rows = {}
    for model in MODELS:
        label = model._meta.label_lower
        for entry in json.loads(serializers.serialize("json", model.objects.order_by("pk"))):
            fields = {name: value for name, value in entry["fields"].items() if name in stated[label]}
            rows.setdefault(label, []).append((entry["pk"], fields))
    return rows


@pytest.mark.django_db
def test_bulk_load_writes_the_same_rows_as_loaddata():
    with transaction.atomic():
        load_real_data()
        bulk = dump()
        transaction.set_rollback(True)

    call_command("loaddata", *map(str, FIXTURE_FILES), verbosity=0)

    assert Stance.objects.count() == 12 * 14
    assert dump() == bulk


@pytest.mark.django_db
def test_rows_created_after_the_bulk_load_get_fresh_primary_keys():
    load_real_data()
    highest = Topic.objects.order_by("-pk").first().pk

    topic = Topic.objects.create(slug="ny", name="Ny", short_name="Ny", question="?", order=99)

    assert topic.pk > highest
