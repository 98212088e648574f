"""Split a verbatim source text into quotable statements.

The texts are copies of web pages and programmes: one paragraph, heading or list item per line.
Each non-blank line becomes one block, classified as

- ``bullet``: a line starting with a list marker (•, -, –, *), or a line in a run that directly
  follows a lead-in ending in a colon ("Rødt vil:" followed by one item per line);
- ``heading``: a short line with no closing punctuation ("AVKRIMINALISERING", "Rus"), or a
  lead-in ending in a colon;
- otherwise a paragraph, split into ``sentence`` statements (a one-sentence paragraph stays one
  ``paragraph`` statement).

Every statement is an exact span of the text (``text[start:end]``), trimmed of whitespace and
list markers, so it can be quoted and linked verbatim. Lines listed in ``skip`` (site chrome such as
"Meny" or a feedback widget, compared whitespace-insensitively) produce no statement; the text keeps
them, since the source stays verbatim.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .text import normalise_whitespace

HEADING_MAX_LENGTH = 90
BULLET_MARKER = re.compile(r"^[ \t\u00a0]*(?:[•·*\u2022\u2013\u2014-])[ \t\u00a0]+")
CLOSING_PUNCTUATION = '.!?…»")'
# Abbreviations after which a full stop does not end a sentence.
ABBREVIATIONS = frozenset(
    [
        "bl.a",
        "f.eks",
        "m.a",
        "m.m",
        "mv",
        "osv",
        "ca",
        "nr",
        "kr",
        "jf",
        "jfr",
        "dvs",
        "pga",
        "iht",
        "ev",
        "evt",
        "inkl",
        "ifm",
        "mill",
        "mrd",
        "st.meld",
        "prop",
        "kap",
    ]
)
SENTENCE_END = re.compile(r"(?<=[.!?])[\"»)]?(?=\s+[\"«(]?[A-ZÆØÅ0-9])")
TRIM = " \t\r\n\u00a0\u2009\u202f"


@dataclass(frozen=True)
class ParsedStatement:
    start: int
    end: int
    kind: str
    text: str


@dataclass(frozen=True)
class _Line:
    start: int
    end: int  # exclusive, without the newline
    text: str


def _lines(text: str) -> list[_Line]:
    lines, position = [], 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        lines.append(_Line(position, position + len(body), body))
        position += len(raw)
    return lines


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in TRIM:
        start += 1
    while end > start and text[end - 1] in TRIM:
        end -= 1
    return start, end


def _is_blank(line: _Line) -> bool:
    return not line.text.strip(TRIM)


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans within ``text[start:end]``, trimmed; never splits after an abbreviation."""
    spans, cursor = [], start
    for match in SENTENCE_END.finditer(text, start, end):
        boundary = match.end()
        before = text[cursor:boundary].rstrip('"»)').rstrip(".!?")
        last_word = before.rsplit(None, 1)[-1].lower() if before.split() else ""
        if last_word in ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha()):
            continue
        span = _trimmed(text, cursor, boundary)
        if span[0] < span[1]:
            spans.append(span)
        cursor = boundary
    span = _trimmed(text, cursor, end)
    if span[0] < span[1]:
        spans.append(span)
    return spans


def parse_statements(text: str, *, skip: Iterable[str] = ()) -> list[ParsedStatement]:
    skipped = {normalise_whitespace(line) for line in skip}
    statements: list[ParsedStatement] = []
    in_list = False  # inside a run of lines directly after a "…:" lead-in

    def add(start: int, end: int, kind: str) -> None:
        start, end = _trimmed(text, start, end)
        if start < end:
            statements.append(ParsedStatement(start, end, kind, text[start:end]))

    for line in _lines(text):
        if _is_blank(line):
            in_list = False
            continue
        if normalise_whitespace(line.text) in skipped:
            in_list = False
            continue
        stripped = line.text.strip(TRIM)
        marker = BULLET_MARKER.match(line.text)
        if marker:
            add(line.start + marker.end(), line.end, "bullet")
        elif in_list:
            add(line.start, line.end, "bullet")
            continue
        elif stripped.endswith(":"):
            add(line.start, line.end, "heading")
            in_list = True
            continue
        elif len(stripped) <= HEADING_MAX_LENGTH and not stripped.endswith(tuple(CLOSING_PUNCTUATION)):
            add(line.start, line.end, "heading")
        else:
            sentences = split_sentences(text, line.start, line.end)
            kind = "sentence" if len(sentences) > 1 else "paragraph"
            for start, end in sentences:
                add(start, end, kind)
        in_list = False
    return statements
