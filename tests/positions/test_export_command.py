"""export_positions prints every organisation × topic cell with its evidence."""

import csv
import io
import json

import pytest
from django.core.management import call_command

from positions.export import CSV_COLUMNS
from positions.models import Source, Stance, Statement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("real_data")]


def export(format: str) -> str:
    out = io.StringIO()
    call_command("export_positions", format=format, stdout=out)
    return out.getvalue()


def test_json_export_covers_all_12_organisations_by_9_topics():
    rows = json.loads(export("json"))["rows"]
    assert len(rows) == 12 * 14
    assert len({(r["organisation"], r["topic"]) for r in rows}) == 12 * 14
    assert {r["level"] for r in rows} == {"national", "county", "municipal", "youth"}


def test_every_stated_cell_has_verbatim_evidence_with_source_and_date():
    rows = json.loads(export("json"))["rows"]
    sources = {s.slug: s for s in Source.objects.all()}
    for row in rows:
        if row["stance"] == "none":
            assert row["evidence"] == []
            continue
        assert row["evidence"], row
        for evidence in row["evidence"]:
            assert evidence["quote"] in sources[evidence["source"]].text
            assert evidence["source_title"] and evidence["source_date"]
            assert evidence["link"].startswith(f"/kilde/{evidence['source']}/#u")


def test_a_known_cell_exports_what_the_party_wrote():
    rows = {(r["organisation"], r["topic"]): r for r in json.loads(export("json"))["rows"]}
    cell = rows[("senterungdommen", "regulert-salg")]
    assert cell["stance"] == "against"
    assert cell["evidence"][0]["quote"] == "Erverv og sal av narkotiske stoff skal framleis vere ulovleg."
    assert cell["evidence"][0]["source_date"] == "26.05.2020"
    assert cell["evidence"][0]["source_language"] == "nn"
    assert rows[("horten-venstre", "har")]["evidence"][0]["source_date"] == "ca. 2011"


def test_csv_has_one_row_per_quote_and_one_per_empty_cell():
    rows = list(csv.DictReader(io.StringIO(export("csv"))))
    assert list(rows[0].keys()) == CSV_COLUMNS
    stated_quotes = sum(
        Statement.objects.filter(stances=stance).count() for stance in Stance.objects.exclude(value="none")
    )
    empty_cells = Stance.objects.filter(value="none").count()
    assert len(rows) == stated_quotes + empty_cells
    assert {(r["organisation"], r["topic"]) for r in rows}.__len__() == 12 * 14


def test_the_export_shows_only_published_data():
    stance = Stance.objects.get(organisation__slug="r", topic__slug="lar")
    stance.status = "draft"
    stance.save()
    rows = {(r["organisation"], r["topic"]): r for r in json.loads(export("json"))["rows"]}
    assert rows[("r", "lar")]["stance"] == "none"
    assert rows[("r", "lar")]["evidence"] == []
