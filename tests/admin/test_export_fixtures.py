"""export_fixtures writes files the build accepts again: build → load → export → build is the same."""

import io
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from positions.build import build, render_fixtures
from positions.fixture_export import export_fixtures, toml_string
from positions.models import Source, Stance, Statement
from positions.services import import_source, publish_stances, save_stance
from tests.conftest import load_real_data

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


@pytest.fixture(scope="module")
def built():
    return render_fixtures(build(FIXTURES))


def test_round_trip_gives_byte_identical_fixtures(db, tmp_path, built):
    load_real_data()

    result = export_fixtures(tmp_path)

    assert result.warnings == []
    assert render_fixtures(build(tmp_path)) == built


def test_source_texts_are_written_verbatim(db, tmp_path):
    load_real_data()

    export_fixtures(tmp_path)

    for original in (FIXTURES / "sources").glob("*.txt"):
        assert (tmp_path / "sources" / original.name).read_bytes() == original.read_bytes()


def test_admin_work_survives_the_round_trip(db, tmp_path, editor):
    load_real_data()
    organisation = Source.objects.get(slug="ap-rus").organisation
    text = "Ny politikk\n\nVi vil ha flere sprøyterom i distriktene.\n"
    source = import_source(
        organisation=organisation,
        title="Nytt vedtak",
        kind="resolution",
        language="nn",
        date_precision="day",
        date_start=None,
        date_end=None,
        url="",
        text=text,
        user=editor,
    )
    statement = source.statements.get(text__startswith="Vi vil")
    stance = Stance.objects.get(organisation=organisation, topic__slug="sproyterom")
    stance.value, stance.summary = "for", "Endret i admin."
    save_stance(stance=stance, evidence=[*stance.evidence.all(), statement], user=editor)
    publish_stances(stances=[stance], user=editor)

    export_fixtures(tmp_path)
    rebuilt = build(tmp_path)

    new_source = next(s for s in rebuilt.sources if s.slug == source.slug)
    assert new_source.text == text and new_source.language == "nn"
    cell = next(
        s
        for s in rebuilt.stances
        if s.organisation.slug == organisation.slug and s.topic.slug == "sproyterom"
    )
    assert cell.summary == "Endret i admin."
    assert "Vi vil ha flere sprøyterom i distriktene." in [e.parsed.text for e in cell.evidence]


def test_draft_stances_are_left_out_unless_asked_for(db, tmp_path, editor):
    load_real_data()
    stance = Stance.objects.exclude(value="none").first()
    Stance.objects.filter(pk=stance.pk).update(status="draft", summary="Utkast.")

    export_fixtures(tmp_path / "published")
    export_fixtures(tmp_path / "all", include_drafts=True)

    assert "Utkast." not in (tmp_path / "published" / "stances.toml").read_text()
    assert "Utkast." in (tmp_path / "all" / "stances.toml").read_text()


def test_edits_the_build_format_cannot_hold_are_reported(db, tmp_path):
    load_real_data()
    statement = Statement.objects.filter(source__slug="ap-rus").order_by("order")[3]
    Statement.objects.filter(pk=statement.pk).delete()

    result = export_fixtures(tmp_path)

    assert any("ap-rus" in warning and "boundaries" in warning for warning in result.warnings)


def test_command_writes_to_the_given_directory(db, tmp_path):
    load_real_data()
    out = io.StringIO()

    call_command("export_fixtures", "--output", str(tmp_path / "ut"), stdout=out, stderr=io.StringIO())

    assert {p.name for p in (tmp_path / "ut").iterdir()} == {
        "organisations.toml",
        "topics.toml",
        "sources.toml",
        "stances.toml",
        "sources",
    }
    assert "Wrote" in out.getvalue()
    shutil.rmtree(tmp_path / "ut")


@pytest.mark.parametrize(
    "value", ["enkel", 'med "sitat" og \\', "linje 1\nlinje 2", "slutt'", "a'''b\n", "\x7f"]
)
def test_toml_strings_read_back_unchanged(value):
    import tomllib

    assert tomllib.loads(f"x = {toml_string(value)}")["x"] == value


def test_refreshing_a_manifest_keeps_its_seed_file_names(db, tmp_path):
    load_real_data()
    shutil.copy(FIXTURES / "sources.toml", tmp_path / "sources.toml")

    export_fixtures(tmp_path)

    assert 'seed = "000_52fe34d5aca78142.txt"' in (tmp_path / "sources.toml").read_text()
