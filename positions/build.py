"""Build the fixtures from the human-edited data files: the one way in for curated data.

Inputs (all in ``fixtures/``):

- ``organisations.toml``: parties and their organisations;
- ``topics.toml``: topics with explainers and tagging lexicons;
- ``sources.toml``: the manifest of source texts in ``sources/``: checksums, who wrote what
  (segments of the multi-party compilation), uncertain passages, site chrome to skip, dates;
- ``stances.toml``: the curated stance of every organisation on every topic, with quotes.

Outputs: ``parties.json`` and ``positions.json``, Django fixtures with stable primary keys,
byte-identical for identical inputs.

Everything is read and checked before anything is written; any problem raises ``SourceError``
naming the file, the line and what is wrong, and leaves the existing fixture files untouched.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import tempfile
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import SourceError
from .parsing import ParsedStatement, parse_statements
from .tagging import compile_lexicon, tag_topics
from .text import find_normalised, normalise_whitespace, sha256

LEVELS = ("national", "county", "municipal", "youth")
SOURCE_KINDS = ("programme", "web_page", "resolution", "article")
LANGUAGES = ("nb", "nn")
STANCE_VALUES = ("for", "partly", "against", "none")
DEFAULT_NONE_SUMMARY = "Tekstene vi har fra organisasjonen sier ikke noe om dette."
OUTPUT_FILES = ("parties.json", "positions.json")


# --- Reading TOML with line numbers ------------------------------------------------------------


class TomlFile:
    """A parsed TOML file that can say on which line an entry or field stands."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise SourceError(path, 0, "the file does not exist") from None
        except UnicodeDecodeError as error:
            raise SourceError(path, 0, f"not UTF-8 text ({error.reason})") from None
        try:
            self.data = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as error:
            line = getattr(error, "lineno", 0) or _line_from_message(str(error))
            raise SourceError(path, line, f"not valid TOML: {getattr(error, 'msg', error)}") from None
        self.lines = self.text.splitlines()

    def header_lines(self, name: str) -> list[int]:
        header = f"[[{name}]]"
        return [number for number, line in enumerate(self.lines, 1) if line.strip() == header]

    def field_line(self, entry_line: int, name: str) -> int:
        """Line of ``name = …`` in the entry whose header is on ``entry_line`` (or the header)."""
        pattern = re.compile(rf"^\s*{re.escape(name)}\s*=")
        for number in range(entry_line + 1, len(self.lines) + 1):
            line = self.lines[number - 1]
            if line.lstrip().startswith("["):
                break
            if pattern.match(line):
                return number
        return entry_line

    def text_line(self, entry_line: int, fragment: str) -> int:
        """First line at or after ``entry_line`` containing ``fragment`` (else the entry line)."""
        fragment = fragment[:40]
        for number in range(entry_line, len(self.lines) + 1):
            if fragment in self.lines[number - 1]:
                return number
        return entry_line

    def entries(self, name: str) -> list[tuple[dict, int]]:
        """The array of tables ``name`` with the line of each header."""
        items = self.data.get(name, [])
        if not isinstance(items, list):
            raise SourceError(self.path, 0, f"'{name}' must be written as [[{name}]] tables")
        lines = self.header_lines(name)
        if len(lines) != len(items):  # e.g. written inline; fall back to the file as a whole
            lines = [0] * len(items)
        return list(zip(items, lines, strict=True))


def _line_from_message(message: str) -> int:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else 0


def _require(file: TomlFile, entry: dict, line: int, name: str, *, kind=str, allow_empty=False):
    if name not in entry:
        raise SourceError(file.path, line, f"missing '{name}'")
    value = entry[name]
    if not isinstance(value, kind):
        expected = getattr(kind, "__name__", str(kind))
        raise SourceError(file.path, file.field_line(line, name), f"'{name}' must be a {expected}")
    if kind is str and not allow_empty and not value.strip():
        raise SourceError(file.path, file.field_line(line, name), f"'{name}' must not be empty")
    return value


def _choice(file: TomlFile, entry: dict, line: int, name: str, choices: Iterable[str]) -> str:
    value = _require(file, entry, line, name)
    if value not in choices:
        raise SourceError(
            file.path,
            file.field_line(line, name),
            f"unknown {name} {value!r}; expected one of: {', '.join(choices)}",
        )
    return value


def _unknown_keys(file: TomlFile, entry: dict, line: int, allowed: set[str]) -> None:
    for key in entry:
        if key not in allowed:
            raise SourceError(
                file.path,
                file.field_line(line, key),
                f"unknown field '{key}'; expected: {', '.join(sorted(allowed))}",
            )


# --- The data being built ----------------------------------------------------------------------


@dataclass
class PartyData:
    pk: int
    slug: str
    name: str
    short_name: str
    colour: str
    website: str


@dataclass
class OrganisationData:
    pk: int
    slug: str
    party: PartyData
    name: str
    level: str
    region: str
    order: int


@dataclass
class TopicGroupData:
    pk: int
    slug: str
    name: str
    name_en: str


@dataclass
class TopicData:
    pk: int
    slug: str
    name: str
    short_name: str
    question: str
    explainer: str
    lexicon: str
    group: TopicGroupData | None = None
    english: dict[str, str] = field(default_factory=dict)  # name_en, short_name_en, question_en, explainer_en

    @property
    def patterns(self) -> list[str]:
        return [line.strip() for line in self.lexicon.splitlines() if line.strip()]


@dataclass
class StatementData:
    pk: int
    parsed: ParsedStatement
    order: int
    topics: set[str] = field(default_factory=set)
    uncertain_note: str = ""
    organisation: OrganisationData | None = None  # None: the source's organisation
    status: str = "published"
    topics_final: bool = False  # topics set by an editor: stances add none

    @property
    def confidence_flagged(self) -> bool:
        return bool(self.uncertain_note)


@dataclass
class SourceData:
    pk: int
    slug: str
    file: str
    organisation: OrganisationData
    title: str
    kind: str
    language: str
    date_precision: str
    date_start: datetime.date | None
    date_end: datetime.date | None
    date_note: str
    url: str
    note: str
    seed_start: int
    seed_end: int
    text: str
    statements: list[StatementData] = field(default_factory=list)


@dataclass
class StanceData:
    pk: int
    organisation: OrganisationData
    topic: TopicData
    value: str
    summary: str
    evidence: list[StatementData]
    status: str = "published"
    summary_en: str = ""
    quotes: list[str] = field(default_factory=list)


@dataclass
class BuildResult:
    parties: list[PartyData]
    organisations: list[OrganisationData]
    topics: list[TopicData]
    sources: list[SourceData]
    stances: list[StanceData]
    groups: list[TopicGroupData] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def statements(self) -> list[StatementData]:
        return [statement for source in self.sources for statement in source.statements]


# --- Organisations and topics -------------------------------------------------------------------

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _slug(file: TomlFile, entry: dict, line: int, seen: set[str], what: str) -> str:
    slug = _require(file, entry, line, "slug")
    if not SLUG.match(slug):
        raise SourceError(file.path, file.field_line(line, "slug"), f"{what} slug {slug!r} is not a slug")
    if slug in seen:
        raise SourceError(file.path, file.field_line(line, "slug"), f"{what} slug {slug!r} is given twice")
    seen.add(slug)
    return slug


def load_organisations(path: Path) -> tuple[list[PartyData], list[OrganisationData]]:
    file = TomlFile(path)
    parties: list[PartyData] = []
    party_slugs: set[str] = set()
    for entry, line in file.entries("party"):
        _unknown_keys(file, entry, line, {"slug", "name", "short_name", "colour", "website"})
        colour = _require(file, entry, line, "colour")
        if not re.fullmatch(r"#[0-9A-Fa-f]{6}", colour):
            raise SourceError(file.path, file.field_line(line, "colour"), f"colour {colour!r} is not #RRGGBB")
        parties.append(
            PartyData(
                pk=len(parties) + 1,
                slug=_slug(file, entry, line, party_slugs, "party"),
                name=_require(file, entry, line, "name"),
                short_name=_require(file, entry, line, "short_name"),
                colour=colour.upper(),
                website=entry.get("website", ""),
            )
        )
    if not parties:
        raise SourceError(file.path, 0, "no [[party]] entries")
    by_slug = {party.slug: party for party in parties}
    # Every party speaks first through its national organisation, which shares its slug.
    organisations = [
        OrganisationData(pk=index, slug=p.slug, party=p, name=p.name, level="national", region="", order=0)
        for index, p in enumerate(parties, 1)
    ]
    org_slugs = set(party_slugs)
    branch_counts: dict[str, int] = {}
    for entry, line in file.entries("organisation"):
        _unknown_keys(file, entry, line, {"slug", "party", "name", "level", "region"})
        slug = _slug(file, entry, line, org_slugs, "organisation")
        party_slug = _require(file, entry, line, "party")
        if party_slug not in by_slug:
            raise SourceError(file.path, file.field_line(line, "party"), f"unknown party {party_slug!r}")
        level = _choice(file, entry, line, "level", LEVELS)
        if level == "national":
            raise SourceError(
                file.path,
                file.field_line(line, "level"),
                "national organisations come from [[party]]; a branch must be county, municipal or youth",
            )
        branch_counts[party_slug] = branch_counts.get(party_slug, 0) + 1
        organisations.append(
            OrganisationData(
                pk=len(organisations) + 1,
                slug=slug,
                party=by_slug[party_slug],
                name=_require(file, entry, line, "name"),
                level=level,
                region=entry.get("region", ""),
                order=branch_counts[party_slug],
            )
        )
    return parties, organisations


TOPIC_ENGLISH = ("name_en", "short_name_en", "question_en", "explainer_en")


def load_topic_groups(file: TomlFile) -> list[TopicGroupData]:
    """The [[group]] tables of topics.toml: the grid's header row over the topic columns."""
    groups: list[TopicGroupData] = []
    seen: set[str] = set()
    for entry, line in file.entries("group"):
        _unknown_keys(file, entry, line, {"slug", "name", "name_en"})
        groups.append(
            TopicGroupData(
                pk=len(groups) + 1,
                slug=_slug(file, entry, line, seen, "group"),
                name=_require(file, entry, line, "name"),
                name_en=entry.get("name_en", ""),
            )
        )
    return groups


def _topic_group_and_english(
    file: TomlFile, entry: dict, line: int, groups: list[TopicGroupData]
) -> tuple[TopicGroupData | None, dict[str, str]]:
    """A topic's group (a [[group]] slug, required once groups exist) and its English fields."""
    group = None
    if groups or "group" in entry:
        by_slug = {group.slug: group for group in groups}
        slug = _require(file, entry, line, "group")
        if slug not in by_slug:
            raise SourceError(file.path, file.field_line(line, "group"), f"unknown group {slug!r}")
        group = by_slug[slug]
    english = {}
    for name in TOPIC_ENGLISH:
        value = entry.get(name, "")
        if not isinstance(value, str):
            raise SourceError(file.path, file.field_line(line, name), f"'{name}' must be a string")
        english[name] = normalise_whitespace(value) if name == "explainer_en" else value.strip()
    return group, english


def load_topics(path: Path, groups: list[TopicGroupData] | None = None) -> list[TopicData]:
    file = TomlFile(path)
    groups = load_topic_groups(file) if groups is None else groups
    topics: list[TopicData] = []
    seen: set[str] = set()
    for entry, line in file.entries("topic"):
        _unknown_keys(
            file,
            entry,
            line,
            {
                "slug",
                "name",
                "short_name",
                "question",
                "explainer",
                "lexicon",
                "group",
                "codebook",
                *TOPIC_ENGLISH,
            },
        )
        group, english = _topic_group_and_english(file, entry, line, groups)
        topic = TopicData(
            pk=len(topics) + 1,
            slug=_slug(file, entry, line, seen, "topic"),
            name=_require(file, entry, line, "name"),
            short_name=_require(file, entry, line, "short_name"),
            question=_require(file, entry, line, "question"),
            explainer=normalise_whitespace(_require(file, entry, line, "explainer")),
            lexicon="\n".join(
                line.strip() for line in _require(file, entry, line, "lexicon").splitlines() if line.strip()
            ),
            group=group,
            english=english,
        )
        try:
            compile_lexicon(tuple(topic.patterns))
        except re.error as error:
            raise SourceError(file.path, file.field_line(line, "lexicon"), f"bad pattern: {error}") from None
        topics.append(topic)
    if not topics:
        raise SourceError(file.path, 0, "no [[topic]] entries")
    return topics


# --- Sources: checksums, segmentation, statements ----------------------------------------------


def parse_date(value: str) -> tuple[str, datetime.date | None, datetime.date | None]:
    """'2020-05-26' | '2023' | '2017–2021' | 'ca. 2011' | 'ukjent' -> (precision, start, end)."""
    value = value.strip()
    if value == "ukjent":
        return "unknown", None, None
    if match := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value):
        day = datetime.date(*map(int, match.groups()))
        return "day", day, day
    if match := re.fullmatch(r"(\d{4})", value):
        year = int(match.group(1))
        return "year", datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    if match := re.fullmatch(r"(\d{4})\s*[–-]\s*(\d{4})", value):
        first, last = int(match.group(1)), int(match.group(2))
        if first > last:
            raise ValueError(f"the period {value!r} ends before it starts")
        return "period", datetime.date(first, 1, 1), datetime.date(last, 12, 31)
    if match := re.fullmatch(r"ca\.\s*(\d{4})", value):
        year = int(match.group(1))
        return "approximate", datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    raise ValueError(f"date {value!r} is not YYYY-MM-DD, YYYY, YYYY–YYYY, 'ca. YYYY' or 'ukjent'")


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _excerpt(text: str, limit: int = 60) -> str:
    text = normalise_whitespace(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _find_unique(text: str, needle: str) -> tuple[int, int] | None | str:
    """The one span of ``needle`` (whitespace aside), None if absent, 'many' if ambiguous."""
    first = find_normalised(text, needle)
    if first is None:
        return None
    if find_normalised(text[first[0] + 1 :], needle) is not None:
        return "many"
    return first


@dataclass
class _SourceEntry:
    entry: dict
    line: int
    uncertain: list[tuple[dict, int]]
    statements: list[tuple[dict, int]]


def _sub_tables(file: TomlFile, entry: dict, line: int, next_line: int, name: str) -> list[tuple[dict, int]]:
    """The [[source.<name>]] tables of one source, with their header lines."""
    tables = entry.get(name, [])
    if not isinstance(tables, list):
        raise SourceError(file.path, line, f"'{name}' must be written as [[source.{name}]] tables")
    lines = [n for n in file.header_lines(f"source.{name}") if line < n < next_line]
    if len(lines) != len(tables):
        lines = [line] * len(tables)
    return list(zip(tables, lines, strict=True))


def _source_entries(file: TomlFile) -> list[_SourceEntry]:
    sources = file.data.get("source", [])
    if not isinstance(sources, list) or not sources:
        raise SourceError(file.path, 0, "no [[source]] entries")
    source_lines = file.header_lines("source")
    result = []
    for index, entry in enumerate(sources):
        line = source_lines[index] if len(source_lines) == len(sources) else 0
        next_line = source_lines[index + 1] if index + 1 < len(source_lines) else len(file.lines) + 1

        result.append(
            _SourceEntry(
                entry,
                line,
                _sub_tables(file, entry, line, next_line, "uncertain"),
                _sub_tables(file, entry, line, next_line, "statement"),
            )
        )
    return result


SOURCE_FIELDS = {
    "slug", "file", "starts", "ends", "organisation", "title", "kind", "language", "date",
    "date_note", "url", "attribution", "skip", "uncertain", "statement",
}  # fmt: skip
STATEMENT_FIELDS = {
    "text",
    "occurrence",
    "kind",
    "organisation",
    "attribution",
    "note",
    "topics",
    "status",
    "delete",
}
STATEMENT_KINDS = ("heading", "paragraph", "bullet", "sentence")
STATUSES = ("draft", "published")


def _segment(file: TomlFile, name: str, text: str, entries: list[_SourceEntry]) -> list[tuple[int, int]]:
    """Split one file's text between its sources; every character goes to exactly one source."""
    if len(entries) == 1 and "starts" not in entries[0].entry and "ends" not in entries[0].entry:
        return [(0, len(text))]
    spans: list[list[int]] = []
    cursor = 0
    for index, item in enumerate(entries):
        starts = _require(file, item.entry, item.line, "starts")
        ends = _require(file, item.entry, item.line, "ends")
        found = _find_unique(text, starts)
        if found is None:
            raise SourceError(
                file.path, file.field_line(item.line, "starts"), f"'starts' not found in {name}"
            )
        if found == "many":
            raise SourceError(
                file.path,
                file.field_line(item.line, "starts"),
                f"'starts' occurs more than once in {name}; give more of the opening words",
            )
        start = found[0]
        if start < cursor:
            raise SourceError(
                file.path,
                file.field_line(item.line, "starts"),
                f"overlap: this source starts at {name} line {_line_of(text, start)}, inside the previous "
                f"source, which ends at line {_line_of(text, cursor)}",
            )
        between = text[cursor:start]
        if between.strip():
            raise SourceError(
                file.path,
                file.field_line(item.line, "starts"),
                f"gap: {name} lines {_line_of(text, cursor)}–{_line_of(text, start)} belong to no source: "
                f"«{_excerpt(between)}»",
            )
        end_found = find_normalised(text[start:], ends)
        if end_found is None:
            raise SourceError(
                file.path,
                file.field_line(item.line, "ends"),
                f"'ends' not found in {name} after the opening words",
            )
        end = start + end_found[1]
        if spans:
            spans[-1][1] = start  # whitespace between sources belongs to the earlier one
        spans.append([0 if index == 0 else start, end])
        cursor = end
    tail = text[cursor:]
    if tail.strip():
        last = entries[-1]
        raise SourceError(
            file.path,
            file.field_line(last.line, "ends"),
            f"gap: {name} lines {_line_of(text, cursor)}–{_line_of(text, len(text))} after the last source "
            f"belong to no source: «{_excerpt(tail)}»",
        )
    spans[-1][1] = len(text)
    return [(start, end) for start, end in spans]


class PassageCutsStatement(ValueError):
    def __init__(self, statement_text: str):
        super().__init__(
            f"the uncertain passage cuts the statement «{_excerpt(statement_text)}» in two; "
            "start and end it on statement boundaries"
        )


def mark_uncertain(statements: list[StatementData], begin: int, finish: int, note: str) -> None:
    """Flag every statement inside [begin, finish) as of uncertain attribution, with ``note``."""
    for statement in statements:
        span = statement.parsed
        if span.end <= begin or span.start >= finish:
            continue
        if span.start < begin or span.end > finish:
            raise PassageCutsStatement(span.text)
        statement.uncertain_note = note


def default_statements(
    text: str,
    *,
    skip: Iterable[str] = (),
    topics: Iterable = (),
    uncertain: Iterable[tuple[int, int, str]] = (),
) -> list[StatementData]:
    """What the build makes of a source text before editorial overrides: parsed statements, topic
    suggestions from the lexicons, and the uncertain passages given as (begin, end, note) spans.
    (Stance topics are added to evidence later, by load_stances.)"""
    topics = list(topics)
    statements = [
        StatementData(pk=0, parsed=parsed, order=order, topics=set(tag_topics(parsed.text, topics)))
        for order, parsed in enumerate(parse_statements(text, skip=skip), 1)
    ]
    for begin, finish, note in uncertain:
        mark_uncertain(statements, begin, finish, note)
    return statements


def _uncertain_spans(file: TomlFile, source: SourceData, passages: list[tuple[dict, int]]):
    """Locate each [[source.uncertain]] passage: (begin, end, note, manifest line)."""
    spans = []
    for passage, line in passages:
        _unknown_keys(file, passage, line, {"starts", "ends", "note"})
        starts = _require(file, passage, line, "starts")
        ends = _require(file, passage, line, "ends")
        note = normalise_whitespace(_require(file, passage, line, "note"))
        found = _find_unique(source.text, starts)
        if not isinstance(found, tuple):
            problem = "not found" if found is None else "found more than once"
            raise SourceError(
                file.path,
                file.field_line(line, "starts"),
                f"uncertain passage 'starts' {problem} in {source.slug}",
            )
        end_found = find_normalised(source.text[found[0] :], ends)
        if end_found is None:
            raise SourceError(
                file.path,
                file.field_line(line, "ends"),
                f"uncertain passage 'ends' not found in {source.slug}",
            )
        spans.append((found[0], found[0] + end_found[1], note, line))
    return spans


def _locate_exact(file: TomlFile, line: int, text: str, needle: str, occurrence: int | None, where: str):
    """The span of the ``occurrence``-th exact occurrence of ``needle`` (required if not unique)."""
    starts, position = [], text.find(needle)
    while position != -1:
        starts.append(position)
        position = text.find(needle, position + 1)
    if not starts:
        raise SourceError(
            file.path, file.field_line(line, "text"), f"statement text not found exactly in {where}"
        )
    if occurrence is None:
        if len(starts) > 1:
            raise SourceError(
                file.path,
                file.field_line(line, "text"),
                f"statement text occurs {len(starts)} times in {where}; "
                f"say which with occurrence = 1…{len(starts)}",
            )
        occurrence = 1
    if not 1 <= occurrence <= len(starts):
        raise SourceError(
            file.path, file.field_line(line, "occurrence"), f"occurrence must be 1…{len(starts)} in {where}"
        )
    begin = starts[occurrence - 1]
    return begin, begin + len(needle)


def _apply_statement_overrides(
    file: TomlFile,
    source: SourceData,
    overrides: list[tuple[dict, int]],
    organisations: dict[str, OrganisationData],
    topics: list[TopicData],
) -> None:
    """Editorial changes the parser cannot know: boundaries, attribution, topics, status, deletions.

    A new span gets the lexicon's topic suggestions, as a parsed statement does."""
    topic_slugs = {topic.slug for topic in topics}
    for entry, line in overrides:
        _unknown_keys(file, entry, line, STATEMENT_FIELDS)
        text = _require(file, entry, line, "text")
        occurrence = entry.get("occurrence")
        if occurrence is not None and (not isinstance(occurrence, int) or isinstance(occurrence, bool)):
            raise SourceError(
                file.path, file.field_line(line, "occurrence"), "'occurrence' must be a whole number"
            )
        if text != text.strip(" \t\r\n\u00a0"):
            raise SourceError(
                file.path,
                file.field_line(line, "text"),
                "statement text must not start or end with whitespace",
            )
        begin, finish = _locate_exact(file, line, source.text, text, occurrence, source.slug)
        same = [s for s in source.statements if (s.parsed.start, s.parsed.end) == (begin, finish)]
        if entry.get("delete"):
            if not same:
                raise SourceError(
                    file.path, line, f"no statement of {source.slug} has exactly this text to delete"
                )
            source.statements.remove(same[0])
            continue
        if same:
            statement = same[0]
        else:
            overlapping = [s for s in source.statements if s.parsed.start < finish and s.parsed.end > begin]
            uncertain = [s.uncertain_note for s in overlapping if s.uncertain_note]
            for old in overlapping:
                source.statements.remove(old)
            statement = StatementData(
                pk=0,
                parsed=ParsedStatement(begin, finish, "sentence", text),
                order=0,
                topics=set(tag_topics(text, topics)),
                uncertain_note=uncertain[0] if uncertain else "",
            )
            source.statements.append(statement)
        if "kind" in entry:
            kind = _choice(file, entry, line, "kind", STATEMENT_KINDS)
            statement.parsed = ParsedStatement(begin, finish, kind, text)
        if "organisation" in entry:
            slug = _require(file, entry, line, "organisation")
            if slug not in organisations:
                raise SourceError(
                    file.path, file.field_line(line, "organisation"), f"unknown organisation {slug!r}"
                )
            statement.organisation = None if slug == source.organisation.slug else organisations[slug]
        if "attribution" in entry:
            attribution = _choice(file, entry, line, "attribution", ("certain", "uncertain"))
            if attribution == "uncertain":
                statement.uncertain_note = normalise_whitespace(_require(file, entry, line, "note"))
            else:
                statement.uncertain_note = ""
        elif "note" in entry:
            raise SourceError(
                file.path, file.field_line(line, "note"), "'note' goes with attribution = \"uncertain\""
            )
        if "topics" in entry:
            chosen = entry["topics"]
            if not isinstance(chosen, list) or not all(isinstance(t, str) for t in chosen):
                raise SourceError(
                    file.path, file.field_line(line, "topics"), "'topics' must be a list of topic slugs"
                )
            unknown = [t for t in chosen if t not in topic_slugs]
            if unknown:
                raise SourceError(file.path, file.field_line(line, "topics"), f"unknown topic {unknown[0]!r}")
            statement.topics = set(chosen)
            statement.topics_final = True
        if "status" in entry:
            statement.status = _choice(file, entry, line, "status", STATUSES)
    source.statements.sort(key=lambda s: s.parsed.start)
    for order, statement in enumerate(source.statements, 1):
        statement.order = order


def _check_skip_lines(file: TomlFile, line: int, source_text: str, skip: list[str]) -> None:
    lines = {normalise_whitespace(text_line) for text_line in source_text.splitlines()}
    for item in skip:
        if normalise_whitespace(item) not in lines:
            raise SourceError(
                file.path,
                file.text_line(file.field_line(line, "skip"), item),
                f"skip line «{item}» is not a line of this source",
            )


def load_sources(
    path: Path, sources_dir: Path, organisations: list[OrganisationData], topics: list[TopicData]
) -> list[SourceData]:
    file = TomlFile(path)
    orgs = {organisation.slug: organisation for organisation in organisations}
    files = file.data.get("files", {})
    if not isinstance(files, dict) or not files:
        raise SourceError(file.path, 0, 'no [files."name.txt"] entries with checksums')
    texts: dict[str, str] = {}
    for name, meta in files.items():
        line = file.text_line(1, f'[files."{name}"]')
        source_path = sources_dir / name
        try:
            data = source_path.read_bytes()
        except FileNotFoundError:
            raise SourceError(file.path, line, f"source file {source_path} does not exist") from None
        expected = meta.get("sha256", "") if isinstance(meta, dict) else ""
        actual = hashlib.sha256(data).hexdigest()
        if actual != expected:
            raise SourceError(
                file.path,
                line,
                f"{name} has changed (sha256 {actual}, manifest says {expected or 'nothing'}); source "
                "texts are verbatim copies — restore the file, or update the checksum for a new copy",
            )
        try:
            texts[name] = data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise SourceError(source_path, 0, f"not UTF-8 text ({error.reason})") from None

    entries = _source_entries(file)
    by_file: dict[str, list[_SourceEntry]] = {}
    seen_slugs: set[str] = set()
    for item in entries:
        _unknown_keys(file, item.entry, item.line, SOURCE_FIELDS)
        _slug(file, item.entry, item.line, seen_slugs, "source")
        name = _require(file, item.entry, item.line, "file")
        if name not in texts:
            raise SourceError(
                file.path, file.field_line(item.line, "file"), f"{name!r} is not listed in [files]"
            )
        by_file.setdefault(name, []).append(item)
    for name in texts:
        if name not in by_file:
            raise SourceError(file.path, 0, f"{name} is listed in [files] but no [[source]] uses it")

    spans: dict[int, tuple[int, int]] = {}
    for name, items in by_file.items():
        for item, span in zip(items, _segment(file, name, texts[name], items), strict=True):
            spans[id(item)] = span

    sources: list[SourceData] = []
    for item in entries:
        entry, line = item.entry, item.line
        org_slug = _require(file, entry, line, "organisation")
        if org_slug not in orgs:
            raise SourceError(
                file.path, file.field_line(line, "organisation"), f"unknown organisation {org_slug!r}"
            )
        try:
            precision, date_start, date_end = parse_date(_require(file, entry, line, "date"))
        except ValueError as error:
            raise SourceError(file.path, file.field_line(line, "date"), str(error)) from None
        start, end = spans[id(item)]
        name = entry["file"]
        source = SourceData(
            pk=len(sources) + 1,
            slug=entry["slug"],
            file=name,
            organisation=orgs[org_slug],
            title=_require(file, entry, line, "title"),
            kind=_choice(file, entry, line, "kind", SOURCE_KINDS),
            language=_choice(file, entry, line, "language", LANGUAGES),
            date_precision=precision,
            date_start=date_start,
            date_end=date_end,
            date_note=entry.get("date_note", ""),
            url=entry.get("url", ""),
            note=normalise_whitespace(_require(file, entry, line, "attribution")),
            seed_start=start,
            seed_end=end,
            text=texts[name][start:end],
        )
        skip = entry.get("skip", [])
        if not isinstance(skip, list) or not all(isinstance(s, str) for s in skip):
            raise SourceError(file.path, file.field_line(line, "skip"), "'skip' must be a list of lines")
        _check_skip_lines(file, line, source.text, skip)
        source.statements = default_statements(source.text, skip=skip, topics=topics)
        for begin, finish, note, passage_line in _uncertain_spans(file, source, item.uncertain):
            try:
                mark_uncertain(source.statements, begin, finish, note)
            except PassageCutsStatement as error:
                raise SourceError(file.path, passage_line, str(error)) from None
        _apply_statement_overrides(file, source, item.statements, orgs, topics)
        if not source.statements:
            raise SourceError(file.path, line, f"source {source.slug} has no statements")
        sources.append(source)
    pk = 0
    for source in sources:
        for statement in source.statements:
            pk += 1
            statement.pk = pk
    return sources


# --- Stances ------------------------------------------------------------------------------------


def statement_organisation(source: SourceData, statement: StatementData) -> OrganisationData:
    return statement.organisation or source.organisation


def first_owned_occurrence(text: str, quote: str, statements: list, *, span, owned) -> list | None:
    """The statements a verbatim quote covers in ``text``: at the first place where it stands in
    statements that are all ``owned`` (a quote must be the organisation's own words). ``span(s)``
    gives a statement's (start, end). Shared with the fixture exporter, which must predict it."""
    offset = 0
    while (found := find_normalised(text[offset:], quote)) is not None:
        begin, finish = offset + found[0], offset + found[1]
        covered = [s for s in statements if span(s)[0] < finish and span(s)[1] > begin]
        if covered and all(owned(s) for s in covered):
            return covered
        offset = begin + 1
    return None


def _evidence_for_quote(sources: list[SourceData], quote: str, org_slug: str) -> list[StatementData] | None:
    for source in sources:
        covered = first_owned_occurrence(
            source.text,
            quote,
            source.statements,
            span=lambda s: (s.parsed.start, s.parsed.end),
            owned=lambda s, source=source: statement_organisation(source, s).slug == org_slug,
        )
        if covered:
            return covered
    return None


def load_stances(
    path: Path,
    organisations: list[OrganisationData],
    topics: list[TopicData],
    sources: list[SourceData],
) -> list[StanceData]:
    file = TomlFile(path)
    orgs = {organisation.slug: organisation for organisation in organisations}
    topics_by_slug = {topic.slug: topic for topic in topics}
    sources_by_org: dict[str, list[SourceData]] = {}
    for source in sources:
        for slug in dict.fromkeys(statement_organisation(source, s).slug for s in source.statements):
            sources_by_org.setdefault(slug, []).append(source)

    cells: dict[tuple[str, str], tuple[StanceData, int]] = {}
    for entry, line in file.entries("stance"):
        _unknown_keys(
            file, entry, line, {"organisation", "topic", "value", "summary", "summary_en", "quotes", "status"}
        )
        org_slug = _require(file, entry, line, "organisation")
        if org_slug not in orgs:
            raise SourceError(
                file.path, file.field_line(line, "organisation"), f"unknown organisation {org_slug!r}"
            )
        topic_slug = _require(file, entry, line, "topic")
        if topic_slug not in topics_by_slug:
            raise SourceError(file.path, file.field_line(line, "topic"), f"unknown topic {topic_slug!r}")
        if (org_slug, topic_slug) in cells:
            first_line = cells[(org_slug, topic_slug)][1]
            raise SourceError(
                file.path,
                line,
                f"the cell {org_slug} × {topic_slug} is given twice (first on line {first_line})",
            )
        value = _choice(file, entry, line, "value", STANCE_VALUES)
        quotes = entry.get("quotes", [])
        if not isinstance(quotes, list) or not all(isinstance(q, str) and q.strip() for q in quotes):
            raise SourceError(
                file.path, file.field_line(line, "quotes"), "'quotes' must be a list of non-empty strings"
            )
        if value == "none":
            if quotes:
                raise SourceError(
                    file.path,
                    file.field_line(line, "quotes"),
                    "a 'none' stance (no stated position) cannot cite quotes; choose for, partly or against",
                )
            summary = entry.get("summary") or DEFAULT_NONE_SUMMARY
        else:
            summary = _require(file, entry, line, "summary")
            if not quotes:
                raise SourceError(
                    file.path,
                    line,
                    f"the stance {org_slug} × {topic_slug} is '{value}' but cites no quotes; "
                    "every stated position needs at least one verbatim quote",
                )
        evidence: list[StatementData] = []
        any_certain = False
        for quote in quotes:
            found = _evidence_for_quote(sources_by_org.get(org_slug, []), quote, org_slug)
            if found is None:
                raise SourceError(
                    file.path,
                    file.text_line(file.field_line(line, "quotes"), quote),
                    f"quote not found verbatim in {org_slug}'s source texts: «{_excerpt(quote, 80)}»",
                )
            if headings := [statement for statement in found if statement.parsed.kind == "heading"]:
                raise SourceError(
                    file.path,
                    file.text_line(file.field_line(line, "quotes"), quote),
                    f"the quote covers the heading «{_excerpt(headings[0].parsed.text, 60)}»: a heading "
                    "is never evidence; quote the statement under it",
                )
            any_certain = any_certain or not any(statement.uncertain_note for statement in found)
            evidence.extend(s for s in found if s not in evidence)
        if quotes and not any_certain:
            raise SourceError(
                file.path,
                file.field_line(line, "quotes"),
                f"every quote for {org_slug} × {topic_slug} comes from a passage of uncertain attribution; "
                "cite at least one passage the organisation certainly wrote",
            )
        for statement in evidence:
            if not statement.topics_final:
                statement.topics.add(topic_slug)
        cells[(org_slug, topic_slug)] = (
            StanceData(
                pk=0,
                organisation=orgs[org_slug],
                topic=topics_by_slug[topic_slug],
                value=value,
                summary=normalise_whitespace(summary),
                evidence=sorted(evidence, key=lambda s: s.pk),
                status=_choice(file, entry, line, "status", STATUSES) if "status" in entry else "published",
                summary_en=normalise_whitespace(entry.get("summary_en", "")),
                quotes=list(quotes),
            ),
            line,
        )

    missing = [f"{o.slug} × {t.slug}" for o in organisations for t in topics if (o.slug, t.slug) not in cells]
    if missing:
        shown = ", ".join(missing[:6]) + (f" and {len(missing) - 6} more" if len(missing) > 6 else "")
        raise SourceError(
            file.path,
            len(file.lines),
            f"{len(missing)} cell(s) have no stance: {shown}. Every organisation × topic cell must be "
            'decided; write value = "none" where the texts say nothing',
        )
    stances = [cells[(o.slug, t.slug)][0] for o in organisations for t in topics]
    for pk, stance in enumerate(stances, 1):
        stance.pk = pk
    return stances


# --- Codebook and the mechanical checks of stances (positions/codebook.py, stance_checks.py) -----


def check_codebook(path: Path, result: BuildResult) -> list[str]:
    """Every anchor quote verbatim and by its organisation (else SourceError); warn for topics
    without a codebook."""
    from .codebook import parse_codebook

    codebook = parse_codebook(path)
    file = TomlFile(path)
    orgs = {organisation.slug for organisation in result.organisations}
    for slug, topic_codebook in codebook.topics.items():
        for anchor in topic_codebook.anchors:
            line = file.text_line(1, anchor.quote) if anchor.quote else 0
            if anchor.organisation not in orgs:
                raise SourceError(
                    path, line, f"an anchor of {slug}: unknown organisation {anchor.organisation!r}"
                )
            if _evidence_for_quote(result.sources, anchor.quote, anchor.organisation) is None:
                raise SourceError(
                    path,
                    line,
                    f"an anchor of {slug}: quote not found verbatim in {anchor.organisation}'s source texts: "
                    f"«{_excerpt(anchor.quote, 80)}»",
                )
    return [
        f"{path.name}: the topic {topic.slug} has no codebook"
        for topic in result.topics
        if topic.slug not in codebook.topics
    ]


def check_stance_texts(data_dir: Path, result: BuildResult) -> list[str]:
    from .stance_checks import check_stance_texts as check

    return check(data_dir, result, data_dir / "stances.toml")


# --- Whole build --------------------------------------------------------------------------------


def build(data_dir: Path) -> BuildResult:
    """Read and check every input; raise SourceError on the first problem."""
    parties, organisations = load_organisations(data_dir / "organisations.toml")
    groups = load_topic_groups(TomlFile(data_dir / "topics.toml"))
    topics = load_topics(data_dir / "topics.toml", groups)
    sources = load_sources(data_dir / "sources.toml", data_dir / "sources", organisations, topics)
    stances = load_stances(data_dir / "stances.toml", organisations, topics, sources)
    result = BuildResult(parties, organisations, topics, sources, stances, groups=groups)
    result.warnings += check_codebook(data_dir / "topics.toml", result)
    result.warnings += check_stance_texts(data_dir, result)
    return result


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def fixture_records(result: BuildResult) -> dict[str, list[dict]]:
    topic_pks = {topic.slug: topic.pk for topic in result.topics}
    parties = [
        {
            "model": "parties.party",
            "pk": party.pk,
            "fields": {
                "name": party.name,
                "short_name": party.short_name,
                "slug": party.slug,
                "colour": party.colour,
                "website": party.website,
                "order": party.pk,
            },
        }
        for party in result.parties
    ] + [
        {
            "model": "parties.organisation",
            "pk": org.pk,
            "fields": {
                "party": org.party.pk,
                "name": org.name,
                "slug": org.slug,
                "level": org.level,
                "region": org.region,
                "order": org.order,
            },
        }
        for org in result.organisations
    ]
    positions: list[dict] = [
        {
            "model": "positions.topicgroup",
            "pk": group.pk,
            "fields": {"slug": group.slug, "name": group.name, "name_en": group.name_en, "order": group.pk},
        }
        for group in result.groups
    ] + [
        {
            "model": "positions.topic",
            "pk": topic.pk,
            "fields": {
                "slug": topic.slug,
                "name": topic.name,
                "short_name": topic.short_name,
                "question": topic.question,
                "explainer": topic.explainer,
                "order": topic.pk,
                "lexicon": topic.lexicon,
                "group": topic.group.pk if topic.group else None,
                **{name: topic.english.get(name, "") for name in TOPIC_ENGLISH},
            },
        }
        for topic in result.topics
    ]
    for source in result.sources:
        positions.append(
            {
                "model": "positions.source",
                "pk": source.pk,
                "fields": {
                    "slug": source.slug,
                    "organisation": source.organisation.pk,
                    "title": source.title,
                    "kind": source.kind,
                    "language": source.language,
                    "date_precision": source.date_precision,
                    "date_start": _date(source.date_start),
                    "date_end": _date(source.date_end),
                    "date_note": source.date_note,
                    "url": source.url,
                    "seed_file": source.file,
                    "seed_start": source.seed_start,
                    "seed_end": source.seed_end,
                    "note": source.note,
                    "text": source.text,
                    "text_sha256": sha256(source.text),
                },
            }
        )
    for source in result.sources:
        for statement in source.statements:
            positions.append(
                {
                    "model": "positions.statement",
                    "pk": statement.pk,
                    "fields": {
                        "source": source.pk,
                        "organisation": statement_organisation(source, statement).pk,
                        "text": statement.parsed.text,
                        "start": statement.parsed.start,
                        "end": statement.parsed.end,
                        "order": statement.order,
                        "kind": statement.parsed.kind,
                        "topics": sorted(topic_pks[slug] for slug in statement.topics),
                        "confidence": "uncertain" if statement.uncertain_note else "certain",
                        "attribution_note": statement.uncertain_note,
                        "status": statement.status,
                    },
                }
            )
    for stance in result.stances:
        positions.append(
            {
                "model": "positions.stance",
                "pk": stance.pk,
                "fields": {
                    "organisation": stance.organisation.pk,
                    "topic": stance.topic.pk,
                    "value": stance.value,
                    "summary": stance.summary,
                    "summary_en": stance.summary_en,
                    "evidence": [statement.pk for statement in stance.evidence],
                    "status": stance.status,
                },
            }
        )
    return {"parties.json": parties, "positions.json": positions}


def render_fixtures(result: BuildResult) -> dict[str, str]:
    return {
        name: json.dumps(records, ensure_ascii=False, indent=1) + "\n"
        for name, records in fixture_records(result).items()
    }


def write_fixtures(rendered: dict[str, str], out_dir: Path) -> list[Path]:
    """Write every file to a temporary name first, then move them into place."""
    out_dir.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[str, Path]] = []
    try:
        for name, content in rendered.items():
            handle, temporary = tempfile.mkstemp(dir=out_dir, prefix=f".{name}.", suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(content)
            os.chmod(temporary, 0o644)  # mkstemp makes it private; fixtures are ordinary files
            staged.append((name, Path(temporary)))
    except BaseException:
        for _, temporary in staged:
            temporary.unlink(missing_ok=True)
        raise
    written = []
    for name, temporary in staged:
        target = out_dir / name
        os.replace(temporary, target)
        written.append(target)
    return written
