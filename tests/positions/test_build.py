"""build_fixtures: reproducible fixtures from the data files, and clear errors that change nothing."""

import json
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from positions.errors import SourceError
from positions.pipeline import build, parse_date
from positions.text import find_normalised

DATA = Path(settings.BASE_DIR) / "fixtures"


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A private copy of the real data files, with the committed fixtures, to break at will."""
    target = tmp_path / "fixtures"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("*.tmp"))
    return target


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def snapshot(directory: Path) -> dict[str, bytes]:
    return {name: (directory / name).read_bytes() for name in ("parties.json", "positions.json")}


def run_build(directory: Path) -> str:
    """Run the command; return the error message, asserting the fixture files did not change."""
    before = snapshot(directory)
    with pytest.raises(CommandError) as raised:
        call_command("build_fixtures", data_dir=directory, verbosity=0)
    assert snapshot(directory) == before, "a failed build must leave the fixture files untouched"
    assert not list(directory.glob(".*.tmp")), "a failed build must leave no temporary files"
    return str(raised.value)


# --- The committed data ------------------------------------------------------------------------


def test_committed_fixtures_are_exactly_what_the_data_files_build():
    call_command("build_fixtures", check=True, verbosity=0)


def test_building_twice_gives_byte_identical_files(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    call_command("build_fixtures", output_dir=first, verbosity=0)
    call_command("build_fixtures", output_dir=second, verbosity=0)
    for name in ("parties.json", "positions.json"):
        assert (first / name).read_bytes() == (second / name).read_bytes()
        assert (first / name).read_bytes() == (DATA / name).read_bytes()


def test_check_mode_reports_stale_fixtures(data_dir):
    edit(data_dir / "stances.toml", 'summary = "Vil opprette brukerrom i mjøsbyene."', 'summary = "Endret."')
    with pytest.raises(CommandError, match="Out of date: positions.json"):
        call_command("build_fixtures", data_dir=data_dir, check=True, verbosity=0)


def test_every_cell_of_12_organisations_and_14_topics_is_decided():
    result = build(DATA)
    assert len(result.organisations) == 12
    assert len(result.topics) == 14
    assert {(s.organisation.slug, s.topic.slug) for s in result.stances} == {
        (o.slug, t.slug) for o in result.organisations for t in result.topics
    }


def test_every_stated_stance_quotes_certain_text_of_its_own_organisation():
    result = build(DATA)
    for stance in result.stances:
        if stance.value == "none":
            assert stance.evidence == []
            continue
        assert stance.evidence, stance
        assert any(not e.uncertain_note for e in stance.evidence), stance
        owners = {
            source.organisation.slug
            for source in result.sources
            for s in source.statements
            if s in stance.evidence
        }
        assert owners == {stance.organisation.slug}


def test_sources_cover_every_character_of_every_seed_file_exactly_once():
    result = build(DATA)
    by_file: dict[str, list] = {}
    for source in result.sources:
        by_file.setdefault(source.file, []).append(source)
    for name, sources in by_file.items():
        text = (DATA / "sources" / name).read_text(encoding="utf-8")
        assert "".join(source.text for source in sources) == text
        assert sources[0].seed_start == 0 and sources[-1].seed_end == len(text)
        for before, after in zip(sources, sources[1:], strict=False):
            assert before.seed_end == after.seed_start


def test_source_files_are_verbatim_copies_of_the_seeds():
    seeds = Path(settings.BASE_DIR).parent / "shared" / "seeds"
    if not seeds.exists():
        pytest.skip("the seed folder is not beside this checkout")
    import tomllib

    manifest = tomllib.loads((DATA / "sources.toml").read_text(encoding="utf-8"))
    for name, meta in manifest["files"].items():
        assert (DATA / "sources" / name).read_bytes() == (seeds / meta["seed"]).read_bytes()


def test_the_multi_party_compilation_is_split_into_nine_organisations():
    result = build(DATA)
    owners = [s.organisation.slug for s in result.sources if s.file == "partier-samletekst.txt"]
    assert owners == ["h", "sv", "frp", "frp", "krf", "mdg", "r", "sp", "v"]


def test_passages_without_a_named_author_are_flagged_uncertain_with_a_reason():
    result = build(DATA)
    uncertain = {
        s.parsed.text: s.uncertain_note
        for source in result.sources
        for s in source.statements
        if s.uncertain_note
    }
    assert any(text.startswith("Det trengs et kvalitetsløft på rusfeltet") for text in uncertain)
    # The codebook's attribution rule 3: KrF's closing line stands before the separator and MDG's
    # self-naming opening, as FrP's last paragraph stands before KrF's, so both are certain.
    assert "Rusproblemer skal møtes med hjelp og omsorg, ikke straff." not in uncertain
    assert not any(text.startswith("Den beste løsningen for å få folk ut av") for text in uncertain)
    assert any(text.startswith("I regjering sørget vi for at Narkotikaprogrammet") for text in uncertain)
    assert all(len(note) > 40 for note in uncertain.values())
    named = [
        s
        for source in result.sources
        for s in source.statements
        if s.parsed.text.startswith("SV mener det ikke gir noen mening")
    ]
    assert named and not named[0].uncertain_note


def test_branches_and_dates_keep_their_level_and_precision():
    result = build(DATA)
    levels = {o.slug: o.level for o in result.organisations}
    assert levels["innlandet-venstre"] == "county"
    assert levels["horten-venstre"] == "municipal"
    assert levels["senterungdommen"] == "youth"
    sources = {s.slug: s for s in result.sources}
    assert sources["horten-venstre-rusomsorg"].date_precision == "approximate"
    assert sources["horten-venstre-rusomsorg"].date_start.year == 2011
    assert sources["senterungdommen-rusreform-2020"].date_precision == "day"
    assert sources["senterungdommen-rusreform-2020"].language == "nn"
    assert sources["frp-partiprogram-2017-2021"].date_precision == "period"


def test_output_is_valid_django_fixture_json_with_stable_keys():
    data = json.loads((DATA / "positions.json").read_text(encoding="utf-8"))
    statements = [r for r in data if r["model"] == "positions.statement"]
    sources = {r["pk"]: r["fields"]["text"] for r in data if r["model"] == "positions.source"}
    assert [r["pk"] for r in statements] == list(range(1, len(statements) + 1))
    for record in statements:
        fields = record["fields"]
        assert sources[fields["source"]][fields["start"] : fields["end"]] == fields["text"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-05-26", ("day", "2020-05-26", "2020-05-26")),
        ("2023", ("year", "2023-01-01", "2023-12-31")),
        ("2017–2021", ("period", "2017-01-01", "2021-12-31")),
        ("ca. 2011", ("approximate", "2011-01-01", "2011-12-31")),
        ("ukjent", ("unknown", None, None)),
    ],
)
def test_dates_are_parsed_with_their_precision(value, expected):
    precision, start, end = parse_date(value)
    assert (precision, start and start.isoformat(), end and end.isoformat()) == expected


def test_a_reversed_period_is_refused():
    with pytest.raises(ValueError, match="ends before it starts"):
        parse_date("2021–2017")


def test_whitespace_differences_do_not_hide_a_quote():
    assert find_normalised("a\u00a0 b\n c", "a b c") == (0, 7)


# --- Bad input: the file, the line, what is wrong; nothing written ------------------------------


def line_of(path: Path, fragment: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if fragment in line:
            return number
    raise AssertionError(fragment)


def test_a_quote_not_in_the_source_fails_with_file_and_line(data_dir):
    stances = data_dir / "stances.toml"
    edit(stances, '"Opprette brukerrom i mjøsbyene"', '"Opprette brukerrom i alle byer"')
    message = run_build(data_dir)
    assert f"stances.toml:{line_of(stances, 'Opprette brukerrom i alle byer')}:" in message
    assert "quote not found verbatim in innlandet-venstre's source texts" in message


def test_a_quote_from_another_organisations_text_is_not_accepted(data_dir):
    stances = data_dir / "stances.toml"
    # Rødt's words cited for SV.
    edit(
        stances,
        '"Straffetrusselen står i veien for oppfølging av ungdom og utsatte grupper.",',
        '"Styrke ettervernet.",',
    )
    assert "quote not found verbatim in sv's source texts" in run_build(data_dir)


def test_an_unknown_organisation_slug_fails(data_dir):
    stances = data_dir / "stances.toml"
    edit(stances, 'organisation = "r"\ntopic = "lar"', 'organisation = "rodt"\ntopic = "lar"')
    message = run_build(data_dir)
    assert f"stances.toml:{line_of(stances, 'organisation = "rodt"')}: unknown organisation 'rodt'" in message


def test_an_unknown_topic_slug_fails(data_dir):
    edit(data_dir / "stances.toml", 'topic = "tvang"', 'topic = "tvangsbruk"')
    assert "unknown topic 'tvangsbruk'" in run_build(data_dir)


def test_a_bad_stance_value_fails(data_dir):
    stances = data_dir / "stances.toml"
    edit(stances, 'topic = "har"\nvalue = "for"', 'topic = "har"\nvalue = "yes"')
    message = run_build(data_dir)
    assert f"stances.toml:{line_of(stances, 'value = "yes"')}:" in message
    assert "unknown value 'yes'; expected one of: for, partly, against, none" in message


def test_a_cell_given_twice_fails_naming_both_lines(data_dir):
    stances = data_dir / "stances.toml"
    text = stances.read_text(encoding="utf-8")
    stances.write_text(
        text + '\n[[stance]]\norganisation = "r"\ntopic = "tvang"\nvalue = "none"\n', encoding="utf-8"
    )
    message = run_build(data_dir)
    assert "the cell r × tvang is given twice (first on line" in message
    assert f"stances.toml:{len(text.splitlines()) + 2}:" in message


def test_a_missing_cell_fails(data_dir):
    edit(data_dir / "stances.toml", '[[stance]]\norganisation = "r"\ntopic = "tvang"\nvalue = "none"\n', "")
    assert "1 cell(s) have no stance: r × tvang" in run_build(data_dir)


def test_a_stated_stance_without_quotes_fails(data_dir):
    edit(
        data_dir / "stances.toml",
        'quotes = ["Medikamentutvalget i LAR må utvides."]',
        "quotes = []",
    )
    assert "is 'for' but cites no quotes" in run_build(data_dir)


def test_a_none_stance_with_quotes_fails(data_dir):
    edit(
        data_dir / "stances.toml",
        'topic = "skadereduksjon"\nvalue = "none"',
        'topic = "skadereduksjon"\nvalue = "none"\nquotes = ["Styrke ettervernet."]',
    )
    assert "a 'none' stance (no stated position) cannot cite quotes" in run_build(data_dir)


def test_a_stance_resting_only_on_uncertain_text_fails(data_dir):
    edit(
        data_dir / "stances.toml",
        'organisation = "sp"\ntopic = "behandling"\nvalue = "none"',
        'organisation = "sp"\ntopic = "behandling"\nvalue = "for"\n'
        'quotes = ["Det trengs et kvalitetsløft på rusfeltet, i forhold til forebygging, behandling og '
        'rehabilitering både lokalt og nasjonalt."]',
    )
    assert "comes from a passage of uncertain attribution" in run_build(data_dir)


def test_invalid_toml_fails_with_its_line(data_dir):
    stances = data_dir / "stances.toml"
    edit(stances, 'value = "partly"', 'value = "partly')
    message = run_build(data_dir)
    assert f"stances.toml:{line_of(stances, 'value = "partly')}: not valid TOML" in message


def test_a_gap_between_segments_fails(data_dir):
    # SV's source now ends a paragraph early: the last paragraph belongs to no source.
    edit(
        data_dir / "sources.toml",
        'ends = "noe som kan ende med et historisk skifte i norsk ruspolitikk."',
        'ends = "slike ved funn."',
    )
    message = run_build(data_dir)
    assert "gap: partier-samletekst.txt lines" in message
    assert "belong to no source: «Rusreformen vil forhåpentligvis" in message


def test_overlapping_segments_fail(data_dir):
    edit(data_dir / "sources.toml", 'starts = "AVKRIMINALISERING"', 'starts = "Dette er Høyres løsning"')
    assert "overlap: this source starts at partier-samletekst.txt line 14" in run_build(data_dir)


def test_ambiguous_opening_words_fail(data_dir):
    edit(
        data_dir / "sources.toml",
        'starts = "AVKRIMINALISERING"',
        'starts = "Høyre ønsker å endre myndighetenes"',
    )
    assert "'starts' occurs more than once in partier-samletekst.txt" in run_build(data_dir)


def test_a_changed_source_text_fails_its_checksum(data_dir):
    edit(data_dir / "sources" / "horten-venstre-rusomsorg.txt", "for rigide regler", "for strenge regler")
    message = run_build(data_dir)
    assert "horten-venstre-rusomsorg.txt has changed" in message
    assert "sources.toml:" in message


def test_a_stale_skip_line_fails(data_dir):
    edit(data_dir / "sources.toml", '"Bli medlem"', '"Bli medlem nå"')
    assert "skip line «Bli medlem nå» is not a line of this source" in run_build(data_dir)


def test_an_unknown_field_is_reported_rather_than_ignored(data_dir):
    edit(data_dir / "stances.toml", 'value = "against"', 'valeu = "against"')
    assert "unknown field 'valeu'" in run_build(data_dir)


def test_source_error_names_file_and_line():
    assert str(SourceError("fixtures/stances.toml", 12, "bad")) == "fixtures/stances.toml:12: bad"
    assert str(SourceError("fixtures/stances.toml", 0, "bad")) == "fixtures/stances.toml: bad"


# --- Editorial overrides: what an editor changed in the admin, written back as data --------------

SU = "senterungdommen-rusreform-2020"  # the last [[source]] in sources.toml: appended tables belong to it


def append_override(data_dir: Path, toml: str) -> None:
    path = data_dir / "sources.toml"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + toml, encoding="utf-8")


def statements_of(result, slug):
    (source,) = [s for s in result.sources if s.slug == slug]
    return source, source.statements


def test_without_overrides_every_statement_is_the_parsers(data_dir):
    result = build(data_dir)
    _, statements = statements_of(result, SU)
    assert all(s.organisation is None and s.status == "published" for s in statements)


def test_a_statement_can_be_attributed_to_another_organisation(data_dir):
    append_override(
        data_dir,
        "[[source.statement]]\n"
        'text = "Utføre prøveprosjekt med Housing First i fleire kommunar."\n'
        'organisation = "sp"\n',
    )
    edit(
        data_dir / "stances.toml",
        '    "Utføre prøveprosjekt med Housing First i fleire kommunar.",\n',
        "",
    )
    result = build(data_dir)
    _, statements = statements_of(result, SU)
    moved = [s for s in statements if s.parsed.text.startswith("Utføre prøveprosjekt")]
    assert moved[0].organisation.slug == "sp"
    # Its words are no longer Senterungdommen's to quote.
    edit(
        data_dir / "stances.toml",
        '"Ha eit førebyggingsløft i form av mellom anna informasjonskampanjar og Undervisningsopplegg."]',
        '"Utføre prøveprosjekt med Housing First i fleire kommunar."]',
    )
    assert "quote not found verbatim in senterungdommen's source texts" in run_build(data_dir)


def test_new_boundaries_replace_the_statements_they_overlap(data_dir):
    # Verbatim means verbatim: the source has no-break spaces here, and so must the override.
    merged = (
        "Forbod har ein\u00a0allmennpreventiv effekt. Vi må ha ein narkotika-politikk"
        " som skil mellom tungt avhengige, og\u00a0personar utan avhengigheitsproblem."
    )
    toml_text = merged.replace("\u00a0", "\\u00a0")
    append_override(data_dir, f'[[source.statement]]\ntext = "{toml_text}"\n')
    before = len(statements_of(build(DATA), SU)[1])
    _, statements = statements_of(build(data_dir), SU)
    assert len(statements) == before - 1
    (joined,) = [s for s in statements if s.parsed.text == merged]
    assert "avkriminalisering" in joined.topics  # a new span is tagged by the lexicon like any other
    assert [s.order for s in statements] == list(range(1, len(statements) + 1))
    assert statements.index(joined) + 1 == joined.order


def test_a_statement_can_be_deleted_topics_set_and_status_kept_draft(data_dir):
    append_override(
        data_dir,
        '[[source.statement]]\ntext = "Ein ruspolitikk til det beste for alle"\ndelete = true\n\n'
        '[[source.statement]]\ntext = "Utføre prøveprosjekt med Housing First i fleire kommunar."\n'
        'topics = ["skadereduksjon"]\nstatus = "draft"\n',
    )
    result = build(data_dir)
    _, statements = statements_of(result, SU)
    assert not any(s.parsed.text == "Ein ruspolitikk til det beste for alle" for s in statements)
    (housing,) = [s for s in statements if s.parsed.text.startswith("Utføre prøveprosjekt")]
    # Final topics: the stance on treatment that cites it adds nothing.
    assert housing.topics == {"skadereduksjon"}
    assert housing.status == "draft"


def test_attribution_can_be_flagged_and_cleared(data_dir):
    sources = data_dir / "sources.toml"
    # Clear the flag on Høyre's intro sentence, flag a Senterungdommen bullet.
    edit(
        sources,
        '[[source]]\nslug = "sv-avkriminalisering"',
        '[[source.statement]]\ntext = "Rusavhengige trenger ikke straff, men hjelp."\n'
        'attribution = "certain"\n\n'
        '[[source]]\nslug = "sv-avkriminalisering"',
    )
    append_override(
        data_dir,
        '[[source.statement]]\ntext = "Senke terskelverdiane for brukardosar."\n'
        'attribution = "uncertain"\nnote = "Står i en liste som kan være limt inn fra et annet dokument."\n',
    )
    result = build(data_dir)
    _, h = statements_of(result, "h-rusavhengige")
    assert h[0].parsed.text == "Rusavhengige trenger ikke straff, men hjelp." and not h[0].uncertain_note
    assert h[1].uncertain_note  # the rest of the passage stays uncertain
    _, su = statements_of(result, SU)
    assert [s.uncertain_note for s in su if s.parsed.text.startswith("Senke")] == [
        "Står i en liste som kan være limt inn fra et annet dokument."
    ]


def test_a_stance_can_stay_draft(data_dir):
    edit(
        data_dir / "stances.toml",
        'topic = "tvang"\nvalue = "partly"',
        'topic = "tvang"\nstatus = "draft"\nvalue = "partly"',
    )
    result = build(data_dir)
    (stance,) = [s for s in result.stances if (s.organisation.slug, s.topic.slug) == ("frp", "tvang")]
    assert stance.status == "draft"


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ('text = "Ingen slik tekst."', "statement text not found exactly in senterungdommen-rusreform-2020"),
        (
            'text = "rusavhengige"',
            "occurs 5 times in senterungdommen-rusreform-2020; say which with occurrence",
        ),
        ('text = "rusavhengige"\noccurrence = 9', "occurrence must be 1…5"),
        (
            'text = "Meny"\ndelete = true',
            "no statement of senterungdommen-rusreform-2020 has exactly this text",
        ),
        ('text = "Meny"\norganisation = "xx"', "unknown organisation 'xx'"),
        ('text = "Meny"\nattribution = "uncertain"', "missing 'note'"),
        ('text = "Meny"\ntopics = ["ukjent"]', "unknown topic 'ukjent'"),
        ('text = "Meny"\nstatus = "kanskje"', "unknown status 'kanskje'"),
        ('text = "Meny"\ncolour = "red"', "unknown field 'colour'"),
    ],
)
def test_bad_overrides_fail_with_file_and_line(data_dir, override, message):
    append_override(data_dir, f"[[source.statement]]\n{override}\n")
    result = run_build(data_dir)
    assert "sources.toml:" in result
    assert message in result


def test_an_uncertain_passage_must_not_cut_a_statement(data_dir):
    edit(
        data_dir / "sources.toml",
        'ends = "kapasitet innenfor rusomsorg."\nnote',
        'ends = "kapasitet innenfor"\nnote',
    )
    assert "the uncertain passage cuts the statement «Vi vil stimulere" in run_build(data_dir)


def test_a_quote_of_a_heading_fails_with_file_and_line(data_dir):
    stances = data_dir / "stances.toml"
    edit(stances, 'quotes = ["Medikamentutvalget i LAR må utvides."]', 'quotes = ["Rødt vil:"]')
    message = run_build(data_dir)
    assert f"stances.toml:{line_of(stances, 'Rødt vil:')}:" in message
    assert "the quote covers the heading «Rødt vil:»: a heading is never evidence" in message
