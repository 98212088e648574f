"""The parser turns verbatim text into quotable statements that are exact spans of it."""

import pytest

from positions.parsing import parse_statements, split_sentences
from positions.tagging import tag_topics


def kinds_and_texts(text, **kwargs):
    return [(s.kind, s.text) for s in parse_statements(text, **kwargs)]


def test_every_statement_is_an_exact_span_of_the_text():
    text = "Rus\n\n  • Første punkt.\nEt avsnitt. Med to setninger!\n"
    for statement in parse_statements(text):
        assert text[statement.start : statement.end] == statement.text


def test_headings_bullets_and_sentences_are_told_apart():
    text = (
        "AVKRIMINALISERING\n"
        "Rødt ønsker en human ruspolitikk. Vi mener rusavhengige trenger hjelp.\n\n"
        "  • Styrke ettervernet.\n"
        " – Opprette brukerrom\n"
    )
    assert kinds_and_texts(text) == [
        ("heading", "AVKRIMINALISERING"),
        ("sentence", "Rødt ønsker en human ruspolitikk."),
        ("sentence", "Vi mener rusavhengige trenger hjelp."),
        ("bullet", "Styrke ettervernet."),
        ("bullet", "Opprette brukerrom"),
    ]


def test_lines_after_a_lead_in_with_a_colon_are_list_items_until_a_blank_line():
    text = (
        "Rødt vil:\nStyrke ettervernet.\nBygge opp kapasitet.\n\n"
        "Et nytt avsnitt som er langt nok til å være et avsnitt.\n"
    )
    assert kinds_and_texts(text) == [
        ("heading", "Rødt vil:"),
        ("bullet", "Styrke ettervernet."),
        ("bullet", "Bygge opp kapasitet."),
        ("paragraph", "Et nytt avsnitt som er langt nok til å være et avsnitt."),
    ]


def test_a_one_sentence_paragraph_is_one_paragraph_statement():
    assert kinds_and_texts(
        "Norge ligger på europatoppen i narkotikadødsfall, det er det ingen grunn til."
    ) == [("paragraph", "Norge ligger på europatoppen i narkotikadødsfall, det er det ingen grunn til.")]


def test_sentences_do_not_break_after_abbreviations_or_inside_numbers():
    text = "Vi vil bl.a. styrke LAR, f.eks. i Oslo. Det koster ca. 2,4 milliarder kroner. Neste."
    spans = split_sentences(text, 0, len(text))
    assert [text[a:b] for a, b in spans] == [
        "Vi vil bl.a. styrke LAR, f.eks. i Oslo.",
        "Det koster ca. 2,4 milliarder kroner.",
        "Neste.",
    ]


def test_skipped_lines_stay_in_the_text_but_make_no_statement():
    text = "Meny\nBli medlem\n\nEin ruspolitikk til det beste for alle\n"
    assert kinds_and_texts(text, skip=["Meny", "Bli  medlem"]) == [
        ("heading", "Ein ruspolitikk til det beste for alle")
    ]


def test_no_break_spaces_and_trailing_spaces_are_trimmed_from_spans():
    text = "Straffebudet kan ha en normerende betydning. \u00a0 \u00a0\n"
    (statement,) = parse_statements(text)
    assert statement.text == "Straffebudet kan ha en normerende betydning."


class FakeTopic:
    def __init__(self, slug, *patterns):
        self.slug, self.patterns = slug, list(patterns)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Medikamentutvalget i LAR må utvides.", ["lar"]),
        ("Dette lar seg ikke gjøre.", []),  # the verb "lar" is not LAR
        ("Senke terskelverdiane for brukardosar.", ["avkriminalisering"]),
        ("Ha eit førebyggingsløft.", ["forebygging"]),
    ],
)
def test_tagging_matches_bokmal_and_nynorsk_and_respects_case_sensitive_acronyms(text, expected):
    topics = [
        FakeTopic("lar", r"(?-i:\bLAR\b)", "legemiddelassistert"),
        FakeTopic("avkriminalisering", "brukerdos", "brukardos"),
        FakeTopic("forebygging", "forebygg", "førebygg"),
    ]
    assert tag_topics(text, topics) == expected
