"""Write the database back out as the build's input files, so fixtures can be refreshed from it.

``export_fixtures(output_dir)`` writes ``organisations.toml``, ``topics.toml``, ``sources.toml``,
``sources/*.txt`` and ``stances.toml`` in the format ``positions.build`` reads; building them
gives the same data again (tests/admin/test_export_fixtures.py proves the round trip).

The build derives statements from the texts (parser, skip lines, lexicon, uncertain passages,
stance quotes). Per source, the exporter works out what the build would make of the text alone
and writes one ``[[source.statement]]`` entry for each statement the editors changed: moved
boundaries (a new span replaces the parsed statements it overlaps), another organisation, an
uncertain flag set or cleared, topics set by hand, draft status, a deleted statement. Unchanged
data gives no entries at all. Draft stances are written with ``status = "draft"``.

What the format still cannot hold (overlapping statements, a cell with no stance) is reported in
``ExportResult.warnings`` instead of being lost silently.
"""

from __future__ import annotations

import json
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from parties.models import Organisation, Party

from .build import BuildResult, first_owned_occurrence, fixture_records
from .codebook import data_dir as codebook_data_dir
from .models import Source, Stance, Statement, Status, Topic, TopicGroup
from .parsing import ParsedStatement, parse_statements
from .tagging import tag_topics
from .text import find_normalised, normalise_whitespace, sha256

# The build refuses a statement text that starts or ends with these.
STATEMENT_TRIM = " \t\r\n\u00a0"
DEFAULT_ATTRIBUTION = "Lagt inn i redaksjonsverktøyet uten begrunnelse for attribusjonen."


@dataclass
class ExportResult:
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# --- TOML writing -------------------------------------------------------------------------------


def toml_string(value: str) -> str:
    """A TOML string: a readable multi-line literal where possible, else an escaped basic string."""
    literal_safe = (
        "\n" in value
        and "'''" not in value
        and not value.endswith("'")
        and all(ch in "\n\t" or (ch >= " " and ch != "\x7f") for ch in value)
    )
    if literal_safe:
        return "'''\n" + value + "'''"
    # JSON string escapes are a subset of TOML's basic-string escapes; TOML also wants DEL escaped.
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list):
        items = [toml_value(item) for item in value]
        inline = "[" + ", ".join(items) + "]"
        if len(inline) <= 80 and "\n" not in inline:
            return inline
        return "[\n" + "".join(f"    {item},\n" for item in items) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def toml_table(header: str, fields: dict) -> str:
    lines = [header] + [f"{key} = {toml_value(value)}" for key, value in fields.items()]
    return "\n".join(lines) + "\n"


def _write(path: Path, text: str, result: ExportResult) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    result.files.append(path)


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


# --- The files ----------------------------------------------------------------------------------


def _organisations_toml() -> str:
    parts = ["# Parties and the organisations that speak for them (exported from the database).\n"]
    for party in Party.objects.order_by("order", "pk"):
        fields = {
            "slug": party.slug,
            "name": party.name,
            "short_name": party.short_name,
            "colour": party.colour,
        }
        if party.website:
            fields["website"] = party.website
        parts.append(toml_table("[[party]]", fields))
    for organisation in Organisation.objects.branches().select_related("party").order_by("pk"):
        parts.append(
            toml_table(
                "[[organisation]]",
                {
                    "slug": organisation.slug,
                    "party": organisation.party.slug,
                    "name": organisation.name,
                    "level": organisation.level,
                    "region": organisation.region,
                },
            )
        )
    return "\n".join(parts)


def _codebook_tables(topics_toml: Path) -> tuple[list[dict], dict[str, dict]]:
    """The [[rule]] tables and each topic's codebook as written in the repository: the codebook
    is not in the database, so the export carries it over unchanged."""
    if not topics_toml.exists():
        return [], {}
    data = tomllib.loads(topics_toml.read_text(encoding="utf-8"))
    return data.get("rule", []), {t["slug"]: t["codebook"] for t in data.get("topic", []) if "codebook" in t}


def _codebook_toml(codebook: dict) -> list[str]:
    plain = {key: value for key, value in codebook.items() if key != "anchor"}
    parts = [toml_table("[topic.codebook]", plain)]
    parts += [toml_table("[[topic.codebook.anchor]]", anchor) for anchor in codebook.get("anchor", [])]
    return parts


def _topics_toml() -> str:
    rules, codebooks = _codebook_tables(codebook_data_dir() / "topics.toml")
    parts = ["# The topics of the comparison, in display order (exported from the database).\n"]
    for group in TopicGroup.objects.order_by("order", "pk"):
        fields = {"slug": group.slug, "name": group.name}
        parts.append(toml_table("[[group]]", fields | ({"name_en": group.name_en} if group.name_en else {})))
    parts += [toml_table("[[rule]]", rule) for rule in rules]
    for topic in Topic.objects.select_related("group").order_by("order", "pk"):
        fields = {
            "slug": topic.slug,
            "name": topic.name,
            "short_name": topic.short_name,
            "question": topic.question,
            "explainer": topic.explainer,
            "lexicon": "\n".join(topic.patterns) + "\n",
        }
        if topic.group:
            fields["group"] = topic.group.slug
        for name in ("name_en", "short_name_en", "question_en", "explainer_en"):
            if getattr(topic, name):
                fields[name] = getattr(topic, name)
        parts.append(toml_table("[[topic]]", fields))
        if topic.slug in codebooks:
            parts += _codebook_toml(codebooks[topic.slug])
    return "\n".join(parts)


def _copy_coding(output_dir: Path, result: ExportResult) -> None:
    """The codings and the checks' allow-list (fixtures/coding/) are files only: copied as they are."""
    source = codebook_data_dir() / "coding"
    if source.is_dir() and source.resolve() != (output_dir / "coding").resolve():
        for path in sorted(source.glob("*.toml")):
            _write(output_dir / "coding" / path.name, path.read_text(encoding="utf-8"), result)


def date_value(source: Source) -> str:
    """The build's date notation for a source's date and precision."""
    start, end = source.date_start, source.date_end
    match source.date_precision:
        case Source.DatePrecision.DAY if start:
            return start.isoformat()
        case Source.DatePrecision.YEAR if start:
            return str(start.year)
        case Source.DatePrecision.PERIOD if start and end:
            return f"{start.year}–{end.year}"
        case Source.DatePrecision.APPROXIMATE if start:
            return f"ca. {start.year}"
    return "ukjent"


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

    Mirrors ``positions.build``: a span equal to a parsed statement overrides only the fields
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


def _previous_seed_names(manifest: Path) -> dict[str, str]:
    """The original seed file names recorded in a manifest being refreshed (not in the database)."""
    try:
        files = tomllib.loads(manifest.read_text(encoding="utf-8")).get("files", {})
    except (FileNotFoundError, tomllib.TOMLDecodeError):
        return {}
    return {
        name: meta["seed"]
        for name, meta in files.items()
        if isinstance(meta, dict) and isinstance(meta.get("seed"), str)
    }


def _sources(output_dir: Path, result: ExportResult) -> tuple[str, list[Source]]:
    """The manifest's text, and the sources in the order it lists them (the build's order)."""
    topics = list(Topic.objects.all())
    sources = list(
        Source.objects.select_related("organisation")
        .prefetch_related("statements__organisation", "statements__topics", "statements__stances__topic")
        .order_by("pk")
    )
    by_file: dict[str, list[Source]] = defaultdict(list)
    for source in sources:
        name = source.seed_file or f"{source.slug}.txt"
        by_file[name].append(source)

    files_part = [
        "# The source texts and who wrote them (exported from the database).\n"
        "# Each file in sources/ holds the verbatim texts of its sources, in order.\n"
    ]
    file_texts: dict[str, str] = {}
    seeds = _previous_seed_names(output_dir / "sources.toml")
    for name, members in by_file.items():
        members.sort(key=lambda s: (s.seed_start or 0, s.pk))
        file_texts[name] = "".join(source.text for source in members)
        _write(output_dir / "sources" / name, file_texts[name], result)
        fields = {"sha256": sha256(file_texts[name])}
        if name in seeds:
            fields["seed"] = seeds[name]
        files_part.append(toml_table(f"[files.{toml_string(name)}]", fields))

    source_parts = []
    for name, members in by_file.items():
        text = file_texts[name]
        offset = 0
        for source in members:
            start, end = offset, offset + len(source.text)
            offset = end
            statements = sorted(source.statements.all(), key=lambda s: (s.start, s.end, s.pk))
            skip = _skip_lines(source, statements)
            parsed = parse_statements(source.text, skip=skip)
            passages, passage_notes = _uncertain_passages(source, parsed, statements)
            fields = {"slug": source.slug, "file": name}
            if len(members) > 1:
                text_start = start + (len(source.text) - len(source.text.lstrip()))
                text_end = start + len(source.text.rstrip())
                starts = opening_words(text, text_start, text_end)
                ends = closing_words(text, text_start, text_end)
                if not starts or not ends:
                    result.warnings.append(f"{source.slug}: no unambiguous opening or closing words")
                fields |= {"starts": starts or "", "ends": ends or ""}
            fields |= {
                "organisation": source.organisation.slug,
                "title": source.title,
                "kind": source.kind,
                "language": source.language,
                "date": date_value(source),
            }
            if source.date_note:
                fields["date_note"] = source.date_note
            if source.url:
                fields["url"] = source.url
            fields["attribution"] = source.note.strip() or DEFAULT_ATTRIBUTION
            if skip:
                fields["skip"] = skip
            block = [toml_table("[[source]]", fields)]
            for passage in passages:
                block.append(toml_table("[[source.uncertain]]", passage))
            for entry in _statement_entries(
                source, statements, parsed, passage_notes, topics, result.warnings
            ):
                block.append(toml_table("[[source.statement]]", entry))
            source_parts.append("\n".join(block))
    in_order = [source for members in by_file.values() for source in members]
    return "\n".join(files_part + source_parts), in_order


def _quoted_statements(quote: str, organisation_id: int, sources: list[Source]) -> list[Statement]:
    """The statements the build will take ``quote`` to cite (as ``positions.build`` finds quotes):
    the first place in the listed sources where it stands in statements all attributed to the
    stance's organisation."""
    for source in sources:
        statements = list(source.statements.all())
        if not any(s.organisation_id == organisation_id for s in statements):
            continue
        covered = first_owned_occurrence(
            source.text,
            quote,
            statements,
            span=lambda s: (s.start, s.end),
            owned=lambda s: s.organisation_id == organisation_id,
        )
        if covered:
            return covered
    return []


def _check_evidence(stance: Stance, evidence: list[Statement], sources: list[Source], warnings) -> None:
    cell = f"{stance.organisation.slug} × {stance.topic.slug}"
    for statement in evidence:
        cited = _quoted_statements(statement.text, stance.organisation_id, sources)
        if [s.pk for s in cited] != [statement.pk]:
            warnings.append(
                f"{cell}: the quote «{statement}» is found first at another place in "
                f"{stance.organisation.slug}'s statements; the build will cite that place instead"
            )
    if evidence and all(statement.is_uncertain for statement in evidence):
        warnings.append(f"{cell}: every quote is of uncertain attribution; the build refuses such a stance")


def _stances_toml(*, sources: list[Source], warnings: list[str]) -> str:
    cells = {
        (stance.organisation_id, stance.topic_id): stance
        for stance in Stance.objects.select_related("organisation", "topic").prefetch_related("evidence")
    }
    parts = ["# Curated stances, one per organisation × topic (exported from the database).\n"]
    organisations = list(Organisation.objects.national().order_by("party__order", "party_id")) + list(
        Organisation.objects.branches().order_by("pk")
    )
    for organisation in organisations:
        for topic in Topic.objects.order_by("order", "pk"):
            stance = cells.get((organisation.pk, topic.pk))
            fields = {"organisation": organisation.slug, "topic": topic.slug}
            if stance is None:
                fields |= {"value": "none"}
                warnings.append(f"{organisation.slug} × {topic.slug}: no stance, exported as none")
                parts.append(toml_table("[[stance]]", fields))
                continue
            evidence = sorted(stance.evidence.all(), key=lambda s: (s.source_id, s.start, s.pk))
            fields |= {"value": stance.value, "summary": stance.summary}
            if stance.summary_en:
                fields["summary_en"] = stance.summary_en
            if evidence and not stance.is_stated:
                warnings.append(
                    f"{organisation.slug} × {topic.slug}: a «none» stance cannot cite quotes; "
                    "its evidence is left out"
                )
            elif evidence:
                fields["quotes"] = [statement.text for statement in evidence]
                _check_evidence(stance, evidence, sources, warnings)
            elif stance.is_stated:
                warnings.append(
                    f"{organisation.slug} × {topic.slug}: a stated position without evidence; "
                    "the build refuses it"
                )
            if stance.status != Status.PUBLISHED:
                fields["status"] = stance.status
            parts.append(toml_table("[[stance]]", fields))
    return "\n".join(parts)


def export_fixtures(output_dir: Path, *, include_drafts: bool = True) -> ExportResult:
    """Write the build's input files for the current database into ``output_dir``.

    Every stance is written, drafts with ``status = "draft"``; a cell without one is "none".
    ``include_drafts`` is kept for old callers and has no effect.
    """
    result = ExportResult()
    output_dir = Path(output_dir)
    _write(output_dir / "organisations.toml", _organisations_toml(), result)
    _write(output_dir / "topics.toml", _topics_toml(), result)
    manifest, sources = _sources(output_dir, result)
    _write(output_dir / "sources.toml", manifest, result)
    _write(output_dir / "stances.toml", _stances_toml(sources=sources, warnings=result.warnings), result)
    _copy_coding(output_dir, result)
    return result


# --- Checking the round trip: does the build give the database back? ---------------------------


def database_snapshot() -> dict[str, dict]:
    """The curated data in the database, keyed by what identifies it across builds (not pks):
    statements by (source slug, start, end), stances by (organisation slug, topic slug)."""
    statements = {
        (s.source.slug, s.start, s.end): {
            "text": s.text,
            "kind": s.kind,
            "organisation": s.organisation.slug,
            "confidence": s.confidence,
            "attribution_note": s.attribution_note,
            "topics": sorted(t.slug for t in s.topics.all()),
            "status": s.status,
        }
        for s in Statement.objects.select_related("source", "organisation").prefetch_related("topics")
    }
    stances = {
        (stance.organisation.slug, stance.topic.slug): {
            "value": stance.value,
            "summary": stance.summary,
            "evidence": sorted((e.source.slug, e.start, e.end) for e in stance.evidence.all()),
            "status": stance.status,
        }
        for stance in Stance.objects.select_related("organisation", "topic").prefetch_related(
            "evidence__source"
        )
    }
    return {"statements": statements, "stances": stances}


def build_snapshot(result: BuildResult) -> dict[str, dict]:
    """``database_snapshot()`` of the database that loading the build's fixtures would give."""
    records = fixture_records(result)
    orgs = {
        r["pk"]: r["fields"]["slug"] for r in records["parties.json"] if r["model"] == "parties.organisation"
    }
    rows = records["positions.json"]
    topics = {r["pk"]: r["fields"]["slug"] for r in rows if r["model"] == "positions.topic"}
    sources = {r["pk"]: r["fields"]["slug"] for r in rows if r["model"] == "positions.source"}
    keys, statements, stances = {}, {}, {}
    for row in rows:
        fields = row["fields"]
        if row["model"] == "positions.statement":
            keys[row["pk"]] = key = (sources[fields["source"]], fields["start"], fields["end"])
            statements[key] = {
                "text": fields["text"],
                "kind": fields["kind"],
                "organisation": orgs[fields["organisation"]],
                "confidence": fields["confidence"],
                "attribution_note": fields["attribution_note"],
                "topics": sorted(topics[pk] for pk in fields["topics"]),
                "status": fields["status"],
            }
        elif row["model"] == "positions.stance":
            stances[(orgs[fields["organisation"]], topics[fields["topic"]])] = {
                "value": fields["value"],
                "summary": fields["summary"],
                "evidence": sorted(keys[pk] for pk in fields["evidence"]),
                "status": fields["status"],
            }
    return {"statements": statements, "stances": stances}


def differences(built: dict[str, dict], stored: dict[str, dict]) -> list[str]:
    """What differs between two snapshots, one line per statement or stance."""
    lines = []
    for part in ("statements", "stances"):
        for key in sorted(built[part].keys() | stored[part].keys()):
            before, after = stored[part].get(key), built[part].get(key)
            if before == after:
                continue
            if before is None or after is None:
                where = "the build only" if before is None else "the database only"
                lines.append(f"{part[:-1]} {key}: in {where}")
            else:
                changed = ", ".join(
                    f"{name} {before[name]!r} → {after[name]!r}"
                    for name in before
                    if before[name] != after[name]
                )
                lines.append(f"{part[:-1]} {key}: {changed}")
    return lines
