"""The build reads topic groups, English text and the codebook, and runs the mechanical stance checks."""

import json
import shutil
import tomllib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from positions.agreement import read_cells
from positions.codebook import parse_codebook
from positions.pipeline import build
from positions.pipeline.topics import TOPIC_ENGLISH
from positions.stance_checks import needs_referent, previous_sentence

DATA = Path(settings.BASE_DIR) / "fixtures"


@pytest.fixture
def data_dir(tmp_path) -> Path:
    target = tmp_path / "fixtures"
    shutil.copytree(DATA, target, ignore=shutil.ignore_patterns("*.tmp"))
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def failure(data_dir: Path) -> str:
    with pytest.raises(CommandError) as raised:
        call_command("build_fixtures", data_dir=data_dir, verbosity=0)
    return str(raised.value)


def test_groups_and_english_text_reach_the_fixtures(data_dir):
    call_command("build_fixtures", data_dir=data_dir, verbosity=0)

    records = json.loads((data_dir / "positions.json").read_text(encoding="utf-8"))
    groups = {r["fields"]["slug"]: r for r in records if r["model"] == "positions.topicgroup"}
    assert [g["fields"]["name_en"] for g in groups.values()] == [
        "Punishment and policing",
        "Treatment and help",
        "Prevention and harm reduction",
    ]
    tvang = next(r for r in records if r["model"] == "positions.topic" and r["fields"]["slug"] == "tvang")
    assert tvang["fields"]["name_en"] == "Coercion in treatment"
    assert tvang["fields"]["group"] == groups["hjelp"]["pk"]
    summaries = [r["fields"]["summary_en"] for r in records if r["model"] == "positions.stance"]
    assert "Wants to widen the range of medicines that can be used in LAR." in summaries


def test_a_topic_in_an_unknown_group_fails(data_dir):
    edit(
        data_dir / "topics.toml",
        'slug = "avkriminalisering"\ngroup = "straff"',
        'slug = "avkriminalisering"\ngroup = "b"',
    )
    assert "unknown group 'b'" in failure(data_dir)


def test_a_codebook_is_read_with_its_anchors(data_dir):
    entry = parse_codebook(data_dir / "topics.toml").topics["avkriminalisering"]
    assert entry.for_.startswith("Teksten vil at bruk og besittelse til eget bruk ikke lenger skal straffes")
    assert len(entry.edge_cases) == len(entry.edge_cases_en) == 5
    assert [anchor.organisation for anchor in entry.anchors] == ["mdg", "ap"]
    assert [anchor.value for anchor in entry.anchors] == ["for", "partly"]


LAR_ANCHOR = 'organisation = "r"\nvalue = "for"\nquote = "Medikamentutvalget i LAR må utvides."'


def test_an_anchor_quote_that_is_not_verbatim_fails(data_dir):
    edit(data_dir / "topics.toml", LAR_ANCHOR, LAR_ANCHOR.replace("utvides.", "økes."))
    message = failure(data_dir)
    assert "anchor of lar: quote not found verbatim in r's source texts" in message
    line = next(
        number
        for number, text in enumerate((data_dir / "topics.toml").read_text(encoding="utf-8").splitlines(), 1)
        if "LAR må økes." in text
    )
    assert f"topics.toml:{line}:" in message


def test_an_anchor_quote_by_another_organisation_fails(data_dir):
    edit(data_dir / "topics.toml", LAR_ANCHOR, LAR_ANCHOR.replace('"r"', '"frp"'))
    assert "quote not found verbatim in frp's source texts" in failure(data_dir)


def test_an_anchor_with_a_bad_value_fails(data_dir):
    edit(data_dir / "topics.toml", LAR_ANCHOR, LAR_ANCHOR.replace('value = "for"', 'value = "kanskje"'))
    assert "value 'kanskje' is not one of" in failure(data_dir)


def test_every_topic_has_codebook():
    result = build(DATA)
    assert not [w for w in result.warnings if "has no codebook" in w]


def test_the_real_data_builds_without_warnings_and_with_an_empty_allow_list():
    result = build(DATA)
    assert result.warnings == []
    allowed = tomllib.loads((DATA / "coding" / "known_referent_issues.toml").read_text(encoding="utf-8"))
    assert allowed.get("issue", []) == []


def test_every_topic_and_its_codebook_has_english_and_every_value_decided():
    codebook = parse_codebook(DATA / "topics.toml")
    result = build(DATA)
    for topic in result.topics:
        assert all(topic.english[name] for name in TOPIC_ENGLISH), topic.slug
        rules = codebook.topics[topic.slug]
        for value in ("for_", "partly", "against", "none"):
            assert getattr(rules, value), (topic.slug, value)
            assert getattr(rules, value.rstrip("_") + "_en"), (topic.slug, value)
        assert rules.anchors and len(rules.edge_cases) == len(rules.edge_cases_en), topic.slug


def test_every_stated_cell_has_an_english_summary():
    result = build(DATA)
    stated = [stance for stance in result.stances if stance.value != "none"]
    missing = [(stance.organisation.slug, stance.topic.slug) for stance in stated if not stance.summary_en]
    assert missing == []


def test_the_published_coding_is_the_reconciled_blind_coding():
    """stances.toml holds, cell by cell, the value both coders gave, or the reconciled one where
    they differed: the coding on the site is the one whose agreement /metode/ reports."""
    first = read_cells(DATA / "coding" / "first.toml")
    second = read_cells(DATA / "coding" / "second.toml")
    reconciliation = DATA / "coding" / "reconciliation.toml"
    reconciled = read_cells(reconciliation, ("first", "second", "final")) if reconciliation.exists() else {}
    published = {(s.organisation.slug, s.topic.slug): s.value for s in build(DATA).stances}
    assert set(published) == set(first) == set(second)
    for key, value in published.items():
        if first[key]["value"] == second[key]["value"]:
            assert value == first[key]["value"], key
        else:
            assert reconciled[key]["final"] == value and reconciled[key]["reason"], key


def test_a_missing_codebook_is_a_warning_printed_by_the_build(data_dir, capsys):
    path = data_dir / "topics.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index("\n[topic.codebook]\n")
    path.write_text(text[:start] + text[text.index("[[topic]]", start) :], encoding="utf-8")
    call_command("build_fixtures", data_dir=data_dir, verbosity=1)
    assert "the topic avkriminalisering has no codebook" in capsys.readouterr().err


# --- The mechanical checks ---------------------------------------------------------------------


def test_a_summary_naming_another_party_fails(data_dir):
    edit(
        data_dir / "stances.toml", 'summary = "Vil utvide hvilke', 'summary = "Som Høyre vil de utvide hvilke'
    )
    assert "r × lar: the summary names Høyre, not r" in failure(data_dir)


def test_a_party_name_inside_a_longer_word_or_in_lower_case_is_not_a_name(data_dir):
    edit(
        data_dir / "stances.toml",
        'summary = "Vil utvide hvilke',
        'summary = "Et høyre-venstre-spørsmål i Venstreparti-stil: utvide hvilke',
    )
    call_command("build_fixtures", data_dir=data_dir, verbosity=0)


R_HAR = "Vi mener rusavhengige trenger omsorg og behandling, ikke straff. Derfor mener vi"
KRF_AID = (
    "Mange ideelle aktører har en unik kompetanse og tilbud som er bygget opp over flere år som har hjulpet"
    " mange rusavhengige til å bli rusfrie. Dette er viktige tilbud"
)


def test_a_new_referent_quote_without_its_antecedent_fails_and_all_failures_are_listed(data_dir):
    edit(data_dir / "stances.toml", R_HAR, "Derfor mener vi")
    edit(data_dir / "stances.toml", KRF_AID, "Dette er viktige tilbud")
    message = failure(data_dir)
    assert "2 stance(s) fail the mechanical checks" in message
    assert "r × har: «Derfor mener vi at heroinassistert" in message
    assert "quote the sentence before it too: «Vi mener rusavhengige trenger omsorg" in message
    assert "krf × behandling: «Dette er viktige tilbud" in message


def test_a_listed_known_issue_is_a_warning_and_quoting_the_sentence_before_fixes_it(data_dir, capsys):
    edit(data_dir / "stances.toml", KRF_AID, "Dette er viktige tilbud")
    assert "krf × behandling" in failure(data_dir)
    (data_dir / "coding" / "known_referent_issues.toml").write_text(
        '[[issue]]\norganisation = "krf"\ntopic = "behandling"\ncheck = "referent"\n'
        'detail = "Dette er viktige tilbud som KrF er svært opptatt av å ta vare på."\n',
        encoding="utf-8",
    )
    call_command("build_fixtures", data_dir=data_dir, verbosity=1)
    assert "known issue, still to fix: krf × behandling" in capsys.readouterr().err
    edit(
        data_dir / "stances.toml",
        '"Dette er viktige tilbud',
        '"Mange ideelle aktører har en unik kompetanse og tilbud som er bygget opp over flere år'
        ' som har hjulpet mange rusavhengige til å bli rusfrie.",\n    "Dette er viktige tilbud',
    )
    call_command("build_fixtures", data_dir=data_dir, verbosity=1)
    assert "no longer fails, remove it: krf / behandling" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("quote", "flagged"),
    [
        ("Dette innebærer at all behandling bør være frivillig.", True),
        ("Derfor mener vi at HAR bør være et alternativ.", True),
        ("Et slikt prinsipp må gjelde alle.", True),
        ("Eit slikt prinsipp må gjelde alle.", True),
        ("Den må styrkes.", True),
        ("Det betyr at flere får hjelp.", True),
        ("Det er viktig at rusavhengige får hjelp.", False),  # dummy subject
        ("Det må bli enklere å få hjelp.", False),
        ("Den beste løsningen er behandling.", False),  # determiner, not pronoun
        ("Den enkelte skal få hjelp.", False),
        ("De Grønne vil legalisere cannabis.", False),
        ("Detaljene må utredes.", False),  # word-bounded
    ],
)
def test_which_quote_openings_need_their_referent(quote, flagged):
    assert needs_referent(quote) is flagged


def test_the_previous_sentence_is_found_back_to_the_last_full_stop():
    text = "Første setning. Andre setning!\nTredje. Dette er poenget."
    assert text[slice(*previous_sentence(text, text.index("Dette")))] == "Tredje."
    assert previous_sentence(text, 0) is None
