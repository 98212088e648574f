"""Statements of a source: the parser's default, uncertain passages, and the editors' overrides
([[source.statement]] entries written back from the admin)."""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import SourceError
from ..parsing import ParsedStatement, parse_statements
from ..tagging import tag_topics
from ..text import find_normalised, normalise_whitespace
from .data import STATUSES, OrganisationData, SourceData, StatementData, TopicData
from .reading import TomlFile, _choice, _excerpt, _require, _unknown_keys
from .segments import _find_unique

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
