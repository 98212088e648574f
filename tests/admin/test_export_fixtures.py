"""export_fixtures writes files the build accepts again: build → load → edit in the admin →
export → build gives the same data, every kind of editorial change included."""

import io
import shutil
import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from positions.models import Source, Stance, Statement, Topic
from positions.pipeline import build, render_fixtures
from positions.pipeline.roundtrip import build_snapshot, database_snapshot, differences
from positions.pipeline.toml_output import toml_string
from positions.pipeline.writeback import export_fixtures
from positions.services import import_source, publish_stances, save_stance, save_statement
from tests.admin.helpers import NEW_SOURCE_TEXT, import_new_ap_source, publish_pending, statement_form
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
    assert "[[source.statement]]" not in (tmp_path / "sources.toml").read_text()
    assert "status" not in (tmp_path / "stances.toml").read_text()


def test_source_texts_are_written_verbatim(db, tmp_path):
    load_real_data()

    export_fixtures(tmp_path)

    for original in (FIXTURES / "sources").glob("*.txt"):
        assert (tmp_path / "sources" / original.name).read_bytes() == original.read_bytes()


def test_admin_work_survives_the_round_trip(db, tmp_path, editor):
    load_real_data()
    source = import_new_ap_source(editor, language="nn")
    organisation, text = source.organisation, NEW_SOURCE_TEXT
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


# --- Every kind of admin edit survives export → build ------------------------------------------


def statement(source: str, text: str, **filters) -> Statement:
    return Statement.objects.get(source__slug=source, text__startswith=text, **filters)


def change_statement(client, statement: Statement, **changes) -> Statement:
    """Post the statement's admin change form with ``changes``, as an editor would."""
    response = client.post(
        reverse("admin:positions_statement_change", args=[statement.pk]), statement_form(statement, **changes)
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    publish_pending(client, statement)  # the data files hold what is published
    statement.refresh_from_db()
    return statement


def delete_statement(client, statement: Statement) -> None:
    response = client.post(reverse("admin:positions_statement_delete", args=[statement.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not Statement.objects.filter(pk=statement.pk).exists()


def act(client, model: str, action: str, objects) -> None:
    response = client.post(
        reverse(f"admin:positions_{model}_changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [o.pk for o in objects]},
    )
    assert response.status_code == 302


def round_trip(tmp_path: Path) -> tuple[dict, dict]:
    """Export the database, build the files, and check the build gives the database back.

    Returns the built data (keyed by source slug and span, organisation and topic) and the
    exported manifest, for the test's own assertions.
    """
    result = export_fixtures(tmp_path)
    assert result.warnings == []
    built = build_snapshot(build(tmp_path))
    assert differences(built, database_snapshot()) == []
    return built, tomllib.loads((tmp_path / "sources.toml").read_text(encoding="utf-8"))


def entries(manifest: dict, slug: str) -> list[dict]:
    source = next(source for source in manifest["source"] if source["slug"] == slug)
    return source.get("statement", [])


def key(statement: Statement) -> tuple[str, int, int]:
    return (statement.source.slug, statement.start, statement.end)


def test_moved_boundary_is_written_as_a_span_replacing_the_parsed_statements(db, editor_client, tmp_path):
    load_real_data()
    first = statement("ap-rus", "Personer med rusavhengighet")
    second = statement("ap-rus", "Målet er at færre")

    merged = change_statement(editor_client, first, end=second.end)
    delete_statement(editor_client, second)
    built, manifest = round_trip(tmp_path)

    assert built["statements"][key(merged)]["text"] == merged.text
    assert merged.text.endswith(second.text)
    assert key(second) not in built["statements"]
    # The merged span's topics are what the lexicon finds in it, so no topics need writing.
    assert entries(manifest, "ap-rus") == [{"text": merged.text}]


def test_shrunk_statement_keeps_its_kind_and_topics(db, editor_client, tmp_path):
    load_real_data()
    bullet = statement("ap-rus", "Styrke rusmestringstilbudene i norske fengsel.")

    shrunk = change_statement(editor_client, bullet, end=bullet.end - len(" i norske fengsel."))
    built, manifest = round_trip(tmp_path)

    assert built["statements"][key(shrunk)] | {"text": "Styrke rusmestringstilbudene"} == {
        "text": "Styrke rusmestringstilbudene",
        "kind": "bullet",
        "organisation": "ap",
        "confidence": "certain",
        "attribution_note": "",
        "topics": ["fengsel"],
        "status": "published",
    }
    assert entries(manifest, "ap-rus") == [{"text": "Styrke rusmestringstilbudene", "kind": "bullet"}]


def test_statement_attributed_to_another_organisation_is_its_evidence(db, editor_client, tmp_path):
    load_real_data()
    moved = statement("innlandet-venstre-ruspolitikk", "I 2020 døde 324 mennesker")
    venstre = moved.source.organisation.party.organisations.get(level="national")
    stance = Stance.objects.get(organisation=venstre, topic__slug="skadereduksjon")
    assert stance.is_stated

    change_statement(editor_client, moved, organisation=venstre.pk)
    response = editor_client.post(
        reverse("admin:positions_stance_change", args=[stance.pk]),
        {
            "organisation": venstre.pk,
            "topic": stance.topic_id,
            "value": stance.value,
            "summary": stance.summary,
            "evidence": [*stance.evidence.values_list("pk", flat=True), moved.pk],
        },
    )
    assert response.status_code == 302
    assert publish_pending(editor_client, stance) is not None
    built, manifest = round_trip(tmp_path)

    assert built["statements"][key(moved)]["organisation"] == "v"
    assert key(moved) in built["stances"][("v", "skadereduksjon")]["evidence"]
    # Its own topic (overdose, from the lexicon) is written with it: Venstre's stance adds only its topic.
    assert entries(manifest, "innlandet-venstre-ruspolitikk") == [
        {"text": moved.text, "organisation": "v", "topics": ["overdose"]}
    ]


def test_topics_set_by_hand_are_kept_exactly(db, editor_client, tmp_path):
    load_real_data()
    cited = statement("ap-rus", "Gjennomføre en forebyggings- og behandlingsreform")
    assert cited.stances.exists()
    plain = statement("ap-rus", "Det rusforebyggende arbeidet skal bli mer kunnskapsbasert.")
    tvang = Topic.objects.get(slug="tvang")

    change_statement(editor_client, cited, topics=[tvang.pk])
    change_statement(editor_client, plain, topics=[])
    built, manifest = round_trip(tmp_path)

    assert built["statements"][key(cited)]["topics"] == ["tvang"]  # the stance's topic is not added
    assert built["statements"][key(plain)]["topics"] == []
    assert [entry["topics"] for entry in entries(manifest, "ap-rus")] == [["tvang"], []]


def test_deleted_statements_stay_deleted(db, editor_client, tmp_path):
    load_real_data()
    sentence = statement("ap-rus", "En helhetlig rusmiddelpolitikk")
    heading = statement("ap-rus", "Rus", start=0)

    delete_statement(editor_client, sentence)
    delete_statement(editor_client, heading)
    built, manifest = round_trip(tmp_path)

    assert key(sentence) not in built["statements"] and key(heading) not in built["statements"]
    # A sentence of a paragraph is deleted by name; a line left with no statement is skipped.
    assert entries(manifest, "ap-rus") == [{"text": sentence.text, "delete": True}]
    assert "Rus" in next(s for s in manifest["source"] if s["slug"] == "ap-rus")["skip"]


def test_draft_statement_and_draft_stance_are_written_as_drafts(db, editor_client, tmp_path):
    load_real_data()
    draft = statement("ap-rus", "Gjennomgå praksis med tap av førerrett")
    stance = Stance.objects.published().exclude(value="none").first()

    act(editor_client, "statement", "unpublish_selected", [draft])
    act(editor_client, "stance", "unpublish_selected", [stance])
    built, manifest = round_trip(tmp_path)

    assert built["statements"][key(draft)]["status"] == "draft"
    cell = (stance.organisation.slug, stance.topic.slug)
    assert built["stances"][cell]["status"] == "draft"
    assert entries(manifest, "ap-rus") == [{"text": draft.text, "status": "draft"}]
    stances = tomllib.loads((tmp_path / "stances.toml").read_text(encoding="utf-8"))["stance"]
    assert [(s["organisation"], s["topic"]) for s in stances if s.get("status") == "draft"] == [cell]


def test_uncertain_flag_set_with_a_note_and_cleared_inside_a_passage(db, editor_client, tmp_path):
    load_real_data()
    flagged = statement("innlandet-venstre-ruspolitikk", "Nå er det på tide å handle.")
    cleared = statement("v-rusomsorg", "Målet må være å ha så differensierte")
    neighbours = list(cleared.source.statements.filter(confidence="uncertain").exclude(pk=cleared.pk))
    assert len(neighbours) >= 2

    change_statement(
        editor_client,
        flagged,
        confidence="uncertain",
        attribution_note="Kan være et sitat fra en annen tekst.",
    )
    change_statement(editor_client, cleared, confidence="certain", attribution_note="")
    built, manifest = round_trip(tmp_path)

    assert built["statements"][key(flagged)]["confidence"] == "uncertain"
    assert built["statements"][key(flagged)]["attribution_note"] == "Kan være et sitat fra en annen tekst."
    assert built["statements"][key(cleared)]["confidence"] == "certain"
    assert {built["statements"][key(s)]["confidence"] for s in neighbours} == {"uncertain"}
    # A new flag is written as a passage, as the curated manifest marks uncertain text; the
    # cleared statement keeps its passage whole and says it is certain.
    sources = {source["slug"]: source for source in manifest["source"]}
    assert [p["note"] for p in sources["innlandet-venstre-ruspolitikk"]["uncertain"]] == [
        "Kan være et sitat fra en annen tekst."
    ]
    assert entries(manifest, "innlandet-venstre-ruspolitikk") == []
    assert len(sources["v-rusomsorg"]["uncertain"]) == 1
    assert entries(manifest, "v-rusomsorg") == [{"text": cleared.text, "attribution": "certain"}]


def test_uncertain_flag_without_unambiguous_anchor_words_is_a_statement_entry(db, editor_client, tmp_path):
    load_real_data()
    heading = statement("ap-rus", "Rus", start=0)  # "Rus" stands many times in the text

    change_statement(editor_client, heading, confidence="uncertain", attribution_note="Sidens tittel.")
    built, manifest = round_trip(tmp_path)

    assert built["statements"][key(heading)]["confidence"] == "uncertain"
    assert entries(manifest, "ap-rus") == [
        {"text": "Rus", "occurrence": 1, "attribution": "uncertain", "note": "Sidens tittel."}
    ]


def test_many_edits_in_one_source_round_trip_together(db, editor_client, tmp_path):
    load_real_data()
    first = statement("v-rusomsorg", "En human og liberal rusomsorg")
    second = statement("v-rusomsorg", "Derfor er det viktig å satse")
    draft = statement("v-rusomsorg", "Kvinner med alvorlig alkoholavhengighet")
    gone = statement("v-rusomsorg", "Ventetidene på rusbehandling")
    innlandet = statement("innlandet-venstre-ruspolitikk", "Det får ikke ned rusbruken")

    change_statement(editor_client, first, end=second.end, kind="paragraph")  # inside the passage
    delete_statement(editor_client, second)
    delete_statement(editor_client, gone)
    act(editor_client, "statement", "unpublish_selected", [draft])
    change_statement(editor_client, draft, confidence="uncertain", attribution_note="Usikker.", topics=[])
    change_statement(editor_client, innlandet, organisation=first.organisation_id, kind="heading")

    built, manifest = round_trip(tmp_path)

    merged = built["statements"][("v-rusomsorg", first.start, second.end)]
    assert (merged["kind"], merged["confidence"]) == ("paragraph", "uncertain")
    assert built["statements"][key(draft)]["status"] == "draft"
    # The passage still covers the merged and the deleted statements, so neither repeats its note.
    v_rusomsorg = next(source for source in manifest["source"] if source["slug"] == "v-rusomsorg")
    assert len([p for p in v_rusomsorg["uncertain"] if p["note"] == first.attribution_note]) == 1
    assert [entry.get("attribution") for entry in entries(manifest, "v-rusomsorg")] == [None, None, None]


def test_overlapping_statements_are_reported_and_fail_the_strict_command(db, editor_client, tmp_path):
    load_real_data()
    first = statement("ap-rus", "Personer med rusavhengighet")
    second = statement("ap-rus", "Målet er at færre")
    change_statement(editor_client, first, end=second.start + 5)

    result = export_fixtures(tmp_path / "a")
    with pytest.raises(CommandError, match="--strict"):
        call_command(
            "export_fixtures",
            "--strict",
            "--output",
            str(tmp_path / "b"),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )

    assert any("overlap" in warning for warning in result.warnings)


def test_admin_imported_source_round_trips_with_draft_statements(db, editor_client, tmp_path):
    load_real_data()
    organisation = Source.objects.get(slug="ap-rus").organisation
    text = "Ny politikk\n\nVi vil ha flere sprøyterom. Vi vil ha bedre behandling.\n"
    source = import_source(
        organisation=organisation,
        title="Nytt vedtak",
        kind="resolution",
        language="nb",
        date_precision="year",
        date_start=None,
        date_end=None,
        url="",
        text=text,
        user=None,
    )

    built, manifest = round_trip(tmp_path)

    assert {entry.get("status") for entry in entries(manifest, source.slug)} == {"draft"}
    assert {value["status"] for k, value in built["statements"].items() if k[0] == source.slug} == {"draft"}


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
        "coding",  # the codings and the checks' allow-list, copied as they are
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


def test_statement_split_in_two_inside_a_passage_keeps_both_halves_as_edited(db, editor_client, tmp_path):
    load_real_data()
    whole = statement("v-rusomsorg", "Derfor er det viktig å satse")
    cut = whole.start + whole.text.index(";")
    note = whole.attribution_note

    change_statement(editor_client, whole, end=cut)
    tail_start = cut + len("; ")
    tail = Statement(
        source=whole.source,
        organisation=whole.organisation,
        start=tail_start,
        end=whole.source.text.index("ettervern.", tail_start) + len("ettervern."),
        kind="sentence",
        confidence="certain",
    )
    tail.text = whole.source.text[tail.start : tail.end]
    save_statement(statement=tail, user=None, topics=[])
    built, _ = round_trip(tmp_path)

    assert built["statements"][key(whole)]["attribution_note"] == note  # the first half inherits it
    assert built["statements"][key(tail)]["confidence"] == "certain"


def test_a_quote_the_build_would_find_elsewhere_is_reported(db, editor_client, tmp_path):
    load_real_data()
    cited = statement("ap-rus", "En moderne ruspolitikk bør balansere")
    assert cited.stances.exists()

    # Quotes carry no position: "En" stands first in an earlier statement of Ap's ("En helhetlig …").
    change_statement(editor_client, cited, end=cited.start + len("En"))
    result = export_fixtures(tmp_path)

    assert any("«En»" in warning and "another place" in warning for warning in result.warnings)
