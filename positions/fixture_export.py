"""Write the database back out as the build's input files, so fixtures can be refreshed from it.

``export_fixtures(output_dir)`` writes ``organisations.toml``, ``topics.toml``, ``sources.toml``,
``sources/*.txt`` and ``stances.toml`` in the format ``positions.build`` reads; building them
gives the same fixtures again (tests/admin/test_export_fixtures.py proves the round trip).

The build derives statements from the texts (parser + lexicon + stance quotes), so some
editorial changes have no place in its input format: moved statement boundaries, a statement
attributed to another organisation than its source, topics set by hand, deleted statements.
Those are reported as warnings (``ExportResult.warnings``) instead of being lost silently.
"""

from __future__ import annotations

import json
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from parties.models import Organisation, Party

from .models import Source, Stance, Statement, Topic
from .parsing import parse_statements
from .tagging import tag_topics
from .text import find_normalised, normalise_whitespace, sha256

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
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[\n" + "".join(f"    {toml_value(item)},\n" for item in value) + "]"
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


def _topics_toml() -> str:
    parts = ["# The topics of the comparison, in display order (exported from the database).\n"]
    for topic in Topic.objects.order_by("order", "pk"):
        parts.append(
            toml_table(
                "[[topic]]",
                {
                    "slug": topic.slug,
                    "name": topic.name,
                    "short_name": topic.short_name,
                    "question": topic.question,
                    "explainer": topic.explainer,
                    "lexicon": "\n".join(topic.patterns) + "\n",
                },
            )
        )
    return "\n".join(parts)


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


def _skip_lines(source: Source, statements: list[Statement]) -> list[str]:
    """Lines the build must skip so the parser yields exactly the statements in the database."""
    kept = {(s.start, s.end) for s in statements}
    parsed = parse_statements(source.text)
    skip: list[str] = []
    offset = 0
    for line in source.text.splitlines(keepends=True):
        begin, finish = offset, offset + len(line)
        offset = finish
        if not line.strip():
            continue
        parsed_here = [p for p in parsed if p.start < finish and p.end > begin]
        if parsed_here and not any((p.start, p.end) in kept for p in parsed_here):
            text = line.rstrip("\r\n")
            if normalise_whitespace(text) not in map(normalise_whitespace, skip):
                skip.append(text.strip())
    return skip


def _uncertain_passages(source: Source, statements: list[Statement], warnings: list[str]) -> list[dict]:
    """Runs of consecutive uncertain statements sharing a note, as [[source.uncertain]] tables."""
    runs: list[list[Statement]] = []
    for statement in statements:
        if not statement.is_uncertain:
            continue
        previous = runs[-1][-1] if runs else None
        adjacent = previous is not None and statements.index(previous) == statements.index(statement) - 1
        if adjacent and normalise_whitespace(previous.attribution_note) == normalise_whitespace(
            statement.attribution_note
        ):
            runs[-1].append(statement)
        else:
            runs.append([statement])
    passages = []
    for run in runs:
        begin, finish = run[0].start, run[-1].end
        starts = opening_words(source.text, begin, finish)
        ends = closing_words(source.text, begin, finish)
        if not starts or not ends:
            warnings.append(
                f"{source.slug}: the uncertain passage «{run[0]}» cannot be marked unambiguously; "
                "it is exported as certain"
            )
            continue
        passages.append({"starts": starts, "ends": ends, "note": run[0].attribution_note})
    return passages


def _check_statements(source: Source, statements: list[Statement], skip, topics, warnings) -> None:
    expected = [(p.start, p.end) for p in parse_statements(source.text, skip=skip)]
    actual = [(s.start, s.end) for s in statements]
    if expected != actual:
        warnings.append(
            f"{source.slug}: statement boundaries edited in the admin cannot be written to the build "
            f"files; the build will parse {len(expected)} statements where the database has {len(actual)}"
        )
    for statement in statements:
        if statement.organisation_id != source.organisation_id:
            warnings.append(
                f"{source.slug}: «{statement}» is attributed to {statement.organisation}, not to the "
                "source's organisation; the build files cannot say so"
            )
        suggested = set(tag_topics(statement.text, topics))
        cited = {stance.topic.slug for stance in statement.stances.all()}
        if {t.slug for t in statement.topics.all()} - suggested - cited:
            warnings.append(
                f"{source.slug}: topics set by hand on «{statement}» are not kept by the build files"
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


def _sources(output_dir: Path, result: ExportResult) -> str:
    topics = list(Topic.objects.all())
    sources = list(
        Source.objects.select_related("organisation")
        .prefetch_related("statements__topics", "statements__stances__topic")
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
            statements = list(source.statements.all())
            skip = _skip_lines(source, statements)
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
            _check_statements(source, statements, skip, topics, result.warnings)
            block = [toml_table("[[source]]", fields)]
            for passage in _uncertain_passages(source, statements, result.warnings):
                block.append(toml_table("[[source.uncertain]]", passage))
            source_parts.append("\n".join(block))
    return "\n".join(files_part + source_parts)


def _stances_toml(*, include_drafts: bool, warnings: list[str]) -> str:
    stances = Stance.objects.all() if include_drafts else Stance.objects.published()
    cells = {
        (stance.organisation_id, stance.topic_id): stance
        for stance in stances.prefetch_related("evidence__source")
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
            else:
                evidence = sorted(stance.evidence.all(), key=lambda s: s.pk)
                fields |= {"value": stance.value, "summary": stance.summary}
                if evidence:
                    fields["quotes"] = [statement.text for statement in evidence]
            parts.append(toml_table("[[stance]]", fields))
    return "\n".join(parts)


def export_fixtures(output_dir: Path, *, include_drafts: bool = False) -> ExportResult:
    """Write the build's input files for the current database into ``output_dir``.

    Only published stances are exported unless ``include_drafts``; a cell without one is "none".
    """
    result = ExportResult()
    output_dir = Path(output_dir)
    _write(output_dir / "organisations.toml", _organisations_toml(), result)
    _write(output_dir / "topics.toml", _topics_toml(), result)
    _write(output_dir / "sources.toml", _sources(output_dir, result), result)
    _write(
        output_dir / "stances.toml",
        _stances_toml(include_drafts=include_drafts, warnings=result.warnings),
        result,
    )
    return result
