"""Statements back into the build's terms: for one source, what the build would make of its text
alone, and the skip lines, [[source.uncertain]] passages and [[source.statement]] overrides that
turn that into exactly the database's statements; and the anchor words that locate them."""

from __future__ import annotations

from ..models import Source, Statement, Status, Topic
from ..parsing import ParsedStatement, parse_statements
from ..tagging import tag_topics
from ..text import find_normalised, normalise_whitespace

# The build refuses a statement text that starts or ends with these.
STATEMENT_TRIM = " \t\r\n\u00a0"


# --- Anchors: the shortest words that the build will find at exactly the right place ------------


def _words(text: str) -> list[str]:
    return normalise_whitespace(text).split(" ")


# Anchors of at least this many words read as a phrase a reviewer can find in the text.
MIN_ANCHOR_WORDS = 6


def opening_words(haystack: str, start: int, end: int) -> str | None:
    """Fewest opening words of ``haystack[start:end]`` whose only match in ``haystack`` is at ``start``."""
    words = _words(haystack[start:end])
    for count in range(min(MIN_ANCHOR_WORDS, len(words)), len(words) + 1):
        needle = " ".join(words[:count])
        first = find_normalised(haystack, needle)
        if first and first[0] == start and find_normalised(haystack[start + 1 :], needle) is None:
            return needle
    return None


def closing_words(haystack: str, start: int, end: int) -> str | None:
    """Fewest closing words of ``haystack[start:end]`` whose first match after ``start`` ends at ``end``."""
    words = _words(haystack[start:end])
    for count in range(min(MIN_ANCHOR_WORDS, len(words)), len(words) + 1):
        needle = " ".join(words[-count:])
        found = find_normalised(haystack[start:], needle)
        if found and start + found[1] == end:
            return needle
    return None


# --- Statements: the build's default for a text, and the overrides that make it the database's ---


def _overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def _mismatches(parsed: list[ParsedStatement], statements: list[Statement]) -> int:
    """How many statements differ (span or kind) between a parse and the database."""
    return len({(p.start, p.end, p.kind) for p in parsed} ^ {(s.start, s.end, s.kind) for s in statements})


def _skip_lines(source: Source, statements: list[Statement]) -> list[str]:
    """Lines the build should skip: site chrome with no statement left on it in the database.

    A line becomes a skip line only when no statement in the database touches it and skipping
    it (and every line with the same words, which the build skips too) brings the parse closer to
    the database; a statement deleted elsewhere is written as ``delete = true`` instead.
    """
    text = source.text
    skip: list[str] = []
    current = parse_statements(text)
    offset = 0
    for line in text.splitlines(keepends=True):
        begin, finish = offset, offset + len(line)
        offset = finish
        body = line.rstrip("\r\n").strip()
        if not body or normalise_whitespace(body) in map(normalise_whitespace, skip):
            continue
        if not any(_overlaps(p.start, p.end, begin, finish) for p in current):
            continue
        if any(_overlaps(s.start, s.end, begin, finish) for s in statements):
            continue
        candidate = parse_statements(text, skip=[*skip, body])
        removed = {(p.start, p.end) for p in current} - {(p.start, p.end) for p in candidate}
        if any(_overlaps(start, end, s.start, s.end) for start, end in removed for s in statements):
            continue
        if _mismatches(candidate, statements) < _mismatches(current, statements):
            skip.append(body)
            current = candidate
    return skip


def _stance_topics(statement: Statement) -> set[str]:
    """Topics the build adds to ``statement`` because a stance quotes it."""
    return {stance.topic.slug for stance in statement.stances.all() if stance.is_stated}


def _topic_slugs(statement: Statement) -> set[str]:
    return {topic.slug for topic in statement.topics.all()}


_DELETED = object()  # a parsed statement the database no longer has: any passage may cover it


def _passage_note(statement: Statement) -> str | None:
    """The note a passage can give ``statement`` (None: certain, or a note the build would reflow)."""
    note = statement.attribution_note
    return note if statement.is_uncertain and note == normalise_whitespace(note) else None


def _uncertain_passages(
    source: Source, parsed: list[ParsedStatement], statements: list[Statement]
) -> tuple[list[dict], dict[tuple[int, int], str]]:
    """Runs of consecutive parsed statements the database holds as uncertain with one note.

    Returns the [[source.uncertain]] tables and the note each parsed statement gets from them. A
    parsed statement replaced by one with new boundaries counts with that statement's note (the
    build gives a new statement the note of the first statement it replaces); a deleted one fits
    any run. A run may step over one certain statement, which then gets ``attribution =
    "certain"``: clearing one flag inside a passage keeps the passage whole. A statement whose
    note cannot be written this way (no unambiguous anchor words, a note the build would reflow)
    is left to its [[source.statement]] entry.
    """
    by_span = {(s.start, s.end): s for s in statements}
    runs: list[tuple[str, list[ParsedStatement]]] = []
    run_note, run = "", []
    pending: list[ParsedStatement] = []  # deleted or certain statements the open run steps over
    stepped_over_certain = False
    for item in parsed:
        statement = by_span.get((item.start, item.end))
        if statement is None:
            covering = [s for s in statements if _overlaps(s.start, s.end, item.start, item.end)]
            note = _passage_note(covering[0]) if covering else _DELETED
        else:
            note = _passage_note(statement)
        if note is not _DELETED and run and note == run_note:
            run += [*pending, item]
            pending, stepped_over_certain = [], False
        elif run and (note is _DELETED or (note is None and not stepped_over_certain)):
            pending.append(item)
            stepped_over_certain = stepped_over_certain or note is None
        elif note is not _DELETED:
            if run:
                runs.append((run_note, run))
            run_note, run = (note, [item]) if note is not None else ("", [])
            pending, stepped_over_certain = [], False
    if run:
        runs.append((run_note, run))
    passages, notes = [], {}
    for note, run in runs:
        begin, finish = run[0].start, run[-1].end
        starts = opening_words(source.text, begin, finish)
        ends = closing_words(source.text, begin, finish)
        if not starts or not ends:
            continue
        passages.append({"starts": starts, "ends": ends, "note": note})
        notes |= {(item.start, item.end): note for item in run}
    return passages, notes


def _occurrence(haystack: str, needle: str, start: int) -> int | None:
    """Which match of ``needle`` in ``haystack`` (1-based) starts at ``start``; None if it is the only one."""
    positions, position = [], haystack.find(needle)
    while position != -1:
        positions.append(position)
        position = haystack.find(needle, position + 1)
    return None if len(positions) == 1 else positions.index(start) + 1


def _locate(source: Source, start: int, end: int) -> dict:
    fields = {"text": source.text[start:end]}
    if occurrence := _occurrence(source.text, fields["text"], start):
        fields["occurrence"] = occurrence
    return fields


def _statement_entries(
    source: Source,
    statements: list[Statement],
    parsed: list[ParsedStatement],
    passage_notes: dict[tuple[int, int], str],
    topics: list[Topic],
    warnings: list[str],
) -> list[dict]:
    """The [[source.statement]] tables that turn the build's default statements for ``source``
    into exactly the database's, in text order.

    Mirrors ``positions.pipeline.statements``: a span equal to a parsed statement overrides only the fields
    given; any other span is a new statement (kind "sentence", lexicon topics, the uncertain
    note of the first parsed statement it replaces) that replaces every parsed statement it
    overlaps; stances add their topic to the statements they quote unless ``topics`` is given.
    """
    parsed_by_span = {(p.start, p.end): p for p in parsed}
    topic_order = {topic.slug: index for index, topic in enumerate(topics)}
    entries: list[tuple[int, dict]] = []
    new_spans: list[tuple[int, int]] = []
    for index, statement in enumerate(statements):
        span = (statement.start, statement.end)
        _warn_unwritable(source, statement, statements[index + 1 :], warnings)
        default = parsed_by_span.get(span)
        fields: dict = {}
        if default is None:
            new_spans.append(span)
            default_kind = Statement.Kind.SENTENCE
            replaced = [
                p
                for p in parsed
                if _overlaps(p.start, p.end, *span)
                and not any(_overlaps(p.start, p.end, *earlier) for earlier in new_spans[:-1])
            ]
            notes = [passage_notes[(p.start, p.end)] for p in replaced if (p.start, p.end) in passage_notes]
            default_note = notes[0] if notes else ""
        else:
            default_kind = default.kind
            default_note = passage_notes.get(span, "")
        default_topics = set(tag_topics(statement.text, topics)) | _stance_topics(statement)
        if statement.kind != default_kind:
            fields["kind"] = statement.kind
        if statement.organisation_id != source.organisation_id:
            fields["organisation"] = statement.organisation.slug
        note = statement.attribution_note if statement.is_uncertain else ""
        if note != default_note:
            fields |= {"attribution": "uncertain", "note": note} if note else {"attribution": "certain"}
        if _topic_slugs(statement) != default_topics:
            fields["topics"] = sorted(_topic_slugs(statement), key=topic_order.__getitem__)
        if statement.status != Status.PUBLISHED:
            fields["status"] = statement.status
        if fields or default is None:
            entries.append((statement.start, _locate(source, *span) | fields))
    kept = {(s.start, s.end) for s in statements}
    for item in parsed:
        span = (item.start, item.end)
        if span in kept or any(_overlaps(*span, *new) for new in new_spans):
            continue  # kept, or replaced by a statement with new boundaries
        entries.append((item.start, _locate(source, *span) | {"delete": True}))
    if not statements:
        warnings.append(f"{source.slug}: the source has no statements; the build refuses such a source")
    return [entry for _, entry in sorted(entries, key=lambda entry: entry[0])]


def _warn_unwritable(
    source: Source, statement: Statement, later: list[Statement], warnings: list[str]
) -> None:
    """Warn about what the build's format cannot hold for ``statement``."""
    for other in later:
        if _overlaps(statement.start, statement.end, other.start, other.end):
            warnings.append(
                f"{source.slug}: the statements «{statement}» and «{other}» overlap; the build "
                "files cannot hold overlapping statements, so the later one replaces the earlier"
            )
    if statement.text != statement.text.strip(STATEMENT_TRIM):
        warnings.append(
            f"{source.slug}: «{statement}» starts or ends with whitespace, which the build does not "
            "accept in a statement; trim it in the admin"
        )
    note = statement.attribution_note
    if statement.is_uncertain and note != normalise_whitespace(note):
        warnings.append(
            f"{source.slug}: the attribution note of «{statement}» has line breaks or repeated spaces, "
            "which the build collapses to single spaces"
        )
