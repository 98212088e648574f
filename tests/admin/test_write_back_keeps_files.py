"""Write-back (export_fixtures into the data files) changes only what the admin changed: comments,
layout and every untouched entry of the hand-edited TOML files survive byte-for-byte."""

import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from positions.models import Stance, Statement, Topic
from positions.pipeline import build, render_fixtures
from positions.pipeline.roundtrip import build_snapshot, database_snapshot, differences
from positions.pipeline.writeback import export_fixtures
from tests.admin.helpers import (
    import_new_ap_source,
    publish_pending,
    stance_form,
    statement_form,
)
from tests.conftest import load_real_data

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
DATA_FILES = ["organisations.toml", "topics.toml", "sources.toml", "stances.toml"]
FILE_COMMENT = "# Redaktørens merknad: Høyre-cellene ble lest på nytt i november.\n"
ENTRY_COMMENT = "# Sjekket mot teksten 12. november; forbudet står i neste avsnitt.\n"


@pytest.fixture
def data_dir(tmp_path) -> Path:
    directory = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, directory)
    return directory


def stance_entries(text: str) -> list[str]:
    """The file's [[stance]] entries, each as written (up to the next entry)."""
    return re.split(r"(?m)^(?=\[\[stance\]\]$)", text)[1:]


def entry_of(entries: list[str], organisation: str, topic: str) -> str:
    [entry] = [e for e in entries if f'organisation = "{organisation}"\ntopic = "{topic}"\n' in e]
    return entry


def test_write_back_of_unchanged_data_reproduces_the_committed_files(db, data_dir):
    load_real_data()

    result = export_fixtures(data_dir)

    assert result.warnings == []
    for name in DATA_FILES:
        assert (data_dir / name).read_bytes() == (FIXTURES / name).read_bytes(), name
    for original in (FIXTURES / "sources").glob("*.txt"):
        assert (data_dir / "sources" / original.name).read_bytes() == original.read_bytes()


def test_comments_and_untouched_entries_survive_an_admin_change(db, data_dir, editor_client):
    load_real_data()
    path = data_dir / "stances.toml"
    text = path.read_text(encoding="utf-8")
    first_entry = text.index("[[stance]]")
    text = text[:first_entry] + FILE_COMMENT + "\n" + text[first_entry:]
    cell = entry_of(stance_entries(text), "h", "avkriminalisering")
    assert 'value = "for"\n' in cell
    text = text.replace(cell, cell.replace('value = "for"\n', 'value = "for"\n' + ENTRY_COMMENT, 1))
    path.write_text(text, encoding="utf-8")
    before = stance_entries(text)

    stance = Stance.objects.get(organisation__slug="h", topic__slug="avkriminalisering")
    summary = "Vil gi hjelp i stedet for straff til rusavhengige, men beholde forbudet."
    response = editor_client.post(
        reverse("admin:positions_stance_change", args=[stance.pk]), stance_form(stance, summary=summary)
    )
    assert response.status_code == 302
    publish_pending(editor_client, stance)  # the data files hold what is published
    export_fixtures(data_dir)

    after_text = path.read_text(encoding="utf-8")
    after = stance_entries(after_text)
    assert after_text[: after_text.index("[[stance]]")] == text[: text.index("[[stance]]")]
    assert FILE_COMMENT in after_text
    changed = entry_of(after, "h", "avkriminalisering")
    assert ENTRY_COMMENT in changed and f'summary = "{summary}"' in changed
    assert changed.count("\n") == entry_of(before, "h", "avkriminalisering").count("\n")
    untouched = [entry for entry in before if entry != entry_of(before, "h", "avkriminalisering")]
    assert [entry for entry in after if entry != changed] == untouched
    for name in ["organisations.toml", "topics.toml", "sources.toml"]:
        assert (data_dir / name).read_bytes() == (FIXTURES / name).read_bytes(), name
    rebuilt = build(data_dir)
    [cell] = [s for s in rebuilt.stances if (s.organisation.slug, s.topic.slug) == ("h", "avkriminalisering")]
    assert cell.summary == summary


def test_quotes_change_only_in_the_entry_whose_evidence_changed(db, data_dir, editor_client):
    load_real_data()
    before = stance_entries((data_dir / "stances.toml").read_text(encoding="utf-8"))
    stance = Stance.objects.get(organisation__slug="r", topic__slug="avkriminalisering")
    kept = stance.evidence.order_by("start")[0]

    response = editor_client.post(
        reverse("admin:positions_stance_change", args=[stance.pk]), stance_form(stance, evidence=[kept.pk])
    )
    assert response.status_code == 302
    publish_pending(editor_client, stance)  # the data files hold what is published
    export_fixtures(data_dir)

    after = stance_entries((data_dir / "stances.toml").read_text(encoding="utf-8"))
    assert entry_of(after, "r", "avkriminalisering") != entry_of(before, "r", "avkriminalisering")
    assert kept.text in entry_of(after, "r", "avkriminalisering")
    assert [e for e in after if 'organisation = "r"\ntopic = "avkriminalisering"' not in e] == [
        e for e in before if 'organisation = "r"\ntopic = "avkriminalisering"' not in e
    ]


def test_written_back_files_build_the_committed_fixtures(db, data_dir):
    load_real_data()
    committed = {
        name: (FIXTURES / name).read_text(encoding="utf-8") for name in ["parties.json", "positions.json"]
    }

    export_fixtures(data_dir)

    assert render_fixtures(build(data_dir)) == committed


def test_a_statement_edit_rewrites_only_its_own_source(db, data_dir, editor_client):
    load_real_data()
    before = (data_dir / "sources.toml").read_text(encoding="utf-8")
    flagged = Statement.objects.get(
        source__slug="innlandet-venstre-ruspolitikk", text__startswith="Nå er det på tide å handle."
    )
    form = statement_form(
        flagged, confidence="uncertain", attribution_note="Kan være sitert fra en annen tekst."
    )
    response = editor_client.post(reverse("admin:positions_statement_change", args=[flagged.pk]), form)
    assert response.status_code == 302
    publish_pending(editor_client, flagged)  # the data files hold what is published

    result = export_fixtures(data_dir)

    assert result.warnings == []
    assert differences(build_snapshot(build(data_dir)), database_snapshot()) == []
    after = (data_dir / "sources.toml").read_text(encoding="utf-8")
    blocks = re.split(r"(?m)^(?=\[\[source\]\]$)", before)
    new_blocks = re.split(r"(?m)^(?=\[\[source\]\]$)", after)
    changed = [i for i, (old, new) in enumerate(zip(blocks, new_blocks, strict=True)) if old != new]
    assert [new_blocks[i].split("\n")[1] for i in changed] == ['slug = "innlandet-venstre-ruspolitikk"']
    assert "Kan være sitert fra en annen tekst." in new_blocks[changed[0]]
    assert (data_dir / "stances.toml").read_bytes() == (FIXTURES / "stances.toml").read_bytes()


def test_fields_the_writer_does_not_write_are_left_in_the_file(db, data_dir):
    load_real_data()
    path = data_dir / "topics.toml"
    text = path.read_text(encoding="utf-8")
    # The codebook is not in the database: an editor's change to it is the file's to keep.
    with_new_field = text.replace(
        'note = "Flere legemidler i LAR."', 'note = "Flere legemidler i LAR (redigert)."', 1
    )
    assert with_new_field != text
    path.write_text(with_new_field, encoding="utf-8")

    export_fixtures(data_dir)

    assert path.read_text(encoding="utf-8") == with_new_field


def test_topics_put_in_a_new_order_are_written_in_that_order(db, data_dir):
    load_real_data()
    first, second = Topic.objects.order_by("order")[:2]
    first.order, second.order = second.order, first.order
    first.save()
    second.save()

    result = export_fixtures(data_dir)

    assert result.warnings == []
    assert [t.slug for t in build(data_dir).topics] == list(
        Topic.objects.order_by("order").values_list("slug", flat=True)
    )
    text = (data_dir / "topics.toml").read_text(encoding="utf-8")
    committed = (FIXTURES / "topics.toml").read_text(encoding="utf-8")
    assert text.split("[[topic]]", 1)[0] == committed.split("[[topic]]", 1)[0]
    # Each entry moves whole, as written (the blank lines between entries may shift).
    assert sorted(e.strip() for e in text.split("[[topic]]")[1:]) == sorted(
        e.strip() for e in committed.split("[[topic]]")[1:]
    )


def test_a_source_imported_in_the_admin_is_added_and_the_rest_kept(db, data_dir, editor):
    load_real_data()
    import_new_ap_source(editor)

    result = export_fixtures(data_dir)

    assert result.warnings == []
    assert differences(build_snapshot(build(data_dir)), database_snapshot()) == []
    manifest = (data_dir / "sources.toml").read_text(encoding="utf-8")
    committed = (FIXTURES / "sources.toml").read_text(encoding="utf-8")
    first_source = re.search(r"(?m)^\[\[source\]\]$", committed).start()
    new_file = '[files."ap-nytt-vedtak.txt"]\nsha256 = '
    assert manifest.startswith(committed[:first_source].rstrip("\n") + "\n\n" + new_file)
    assert committed[first_source:].rstrip("\n") + '\n\n[[source]]\nslug = "ap-nytt-vedtak"' in manifest
    assert (data_dir / "stances.toml").read_bytes() == (FIXTURES / "stances.toml").read_bytes()
