"""Write the database back out as the build's input files, so fixtures can be refreshed from it.

``export_fixtures(output_dir)`` writes ``organisations.toml``, ``topics.toml``, ``sources.toml``,
``sources/*.txt`` and ``stances.toml`` in the format ``positions.pipeline`` reads; building them
gives the same data again (tests/admin/test_export_fixtures.py proves the round trip).

The build derives statements from the texts (parser, skip lines, lexicon, uncertain passages,
stance quotes). Per source, the exporter works out what the build would make of the text alone
and writes one ``[[source.statement]]`` entry for each statement the editors changed: moved
boundaries (a new span replaces the parsed statements it overlaps), another organisation, an
uncertain flag set or cleared, topics set by hand, draft status, a deleted statement. Unchanged
data gives no entries at all. Draft stances are written with ``status = "draft"``.

Into a directory that already holds the files (``--output fixtures``), the export is merged with
tomlkit (``toml_output``): an entry or field is rewritten only where what the build reads from it
differs from the database (``Unchanged``), so editors' comments, quotes, line breaks and every
untouched entry stay byte-for-byte, and unchanged data gives back the files as they were.

What the format still cannot hold (overlapping statements, a cell with no stance) is reported in
``ExportResult.warnings`` instead of being lost silently.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from parties.models import Organisation, Party

from ..codebook import data_dir as codebook_data_dir
from ..errors import SourceError
from ..models import Source, Stance, Statement, Status, Topic, TopicGroup
from ..parsing import parse_statements
from ..text import normalise_whitespace, sha256
from .data import BuildResult
from .overrides import _skip_lines, _statement_entries, _uncertain_passages, closing_words, opening_words
from .roundtrip import build_snapshot, database_snapshot
from .sources import parse_date
from .stances import first_owned_occurrence
from .toml_output import TomlData, TOMLKitError, merge_into, render_new
from .topics import TOPIC_ENGLISH

DEFAULT_ATTRIBUTION = "Lagt inn i redaksjonsverktøyet uten begrunnelse for attribusjonen."


@dataclass
class ExportResult:
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


# --- Writing files -----------------------------------------------------------------------------


def _write(path: Path, text: str, result: ExportResult) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    result.files.append(path)


def _write_toml(path: Path, data: TomlData, same, result: ExportResult) -> None:
    """Merge ``data`` into the file at ``path`` if there is one (its comments and layout stay), else
    write it fresh (see toml_output)."""
    try:
        text = merge_into(path.read_text(encoding="utf-8"), data, same)
    except (FileNotFoundError, UnicodeDecodeError, TOMLKitError):
        text = render_new(data)
    _write(path, text, result)


# --- The files ----------------------------------------------------------------------------------


# The fields the write-back writes in each kind of entry: one of these absent from the database's
# data is removed from the file; any other field in the file (say, of a newer schema that this
# writer does not know yet) is left as it is.
WRITTEN_PARTY_FIELDS = {"slug", "name", "short_name", "colour", "website"}
WRITTEN_ORGANISATION_FIELDS = {"slug", "party", "name", "level", "region"}
WRITTEN_GROUP_FIELDS = {"slug", "name", "name_en"}
WRITTEN_TOPIC_FIELDS = {
    *("slug", "name", "short_name", "question", "explainer", "lexicon", "group"),
    *TOPIC_ENGLISH,
}
WRITTEN_STANCE_FIELDS = {"organisation", "topic", "value", "summary", "summary_en", "quotes", "status"}
WRITTEN_SOURCE_FIELDS = {
    "slug", "file", "starts", "ends", "organisation", "title", "kind", "language", "date",
    "date_note", "url", "attribution", "skip", "uncertain", "statement",
}  # fmt: skip


def _by_slug(entry: dict) -> tuple:
    return (entry["slug"],)


def _organisations_toml() -> TomlData:
    parties = []
    for party in Party.objects.order_by("order", "pk"):
        fields = {
            "slug": party.slug,
            "name": party.name,
            "short_name": party.short_name,
            "colour": party.colour,
        }
        if party.website:
            fields["website"] = party.website
        parties.append(fields)
    organisations = [
        {
            "slug": organisation.slug,
            "party": organisation.party.slug,
            "name": organisation.name,
            "level": organisation.level,
            "region": organisation.region,
        }
        for organisation in Organisation.objects.branches().select_related("party").order_by("pk")
    ]
    return TomlData(
        header="# Parties and the organisations that speak for them (exported from the database).",
        arrays={"party": parties, "organisation": organisations},
        keys={"party": _by_slug, "organisation": _by_slug},
        owned={"party": WRITTEN_PARTY_FIELDS, "organisation": WRITTEN_ORGANISATION_FIELDS},
    )


def _topics_toml() -> TomlData:
    """Groups and topics from the database. The codebook ([[rule]], [topic.codebook]) is not in the
    database: written back into the repository's topics.toml it stays as the editors wrote it."""
    groups = [
        {"slug": group.slug, "name": group.name} | ({"name_en": group.name_en} if group.name_en else {})
        for group in TopicGroup.objects.order_by("order", "pk")
    ]
    topics = []
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
        fields |= {name: getattr(topic, name) for name in TOPIC_ENGLISH if getattr(topic, name)}
        topics.append(fields)
    arrays, keys, owned = {"topic": topics}, {"topic": _by_slug}, {"topic": WRITTEN_TOPIC_FIELDS}
    if groups:
        arrays, keys = {"group": groups} | arrays, {"group": _by_slug} | keys
        owned = {"group": WRITTEN_GROUP_FIELDS} | owned
    return TomlData(
        header="# The topics of the comparison, in display order (exported from the database).",
        arrays=arrays,
        keys=keys,
        owned=owned,
    )


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


def _sources(output_dir: Path, result: ExportResult) -> tuple[TomlData, list[Source], dict]:
    """The manifest's data, the sources in the order it lists them (the build's order), and where
    each source's text is: slug -> (file, start, end, text)."""
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

    files_part: dict[str, dict] = {}
    file_texts: dict[str, str] = {}
    seeds = _previous_seed_names(output_dir / "sources.toml")
    for name, members in by_file.items():
        members.sort(key=lambda s: (s.seed_start or 0, s.pk))
        file_texts[name] = "".join(source.text for source in members)
        _write(output_dir / "sources" / name, file_texts[name], result)
        fields = {"sha256": sha256(file_texts[name])}
        if name in seeds:
            fields["seed"] = seeds[name]
        files_part[name] = fields

    source_parts: list[dict] = []
    spans: dict[str, tuple[str, int, int, str]] = {}
    for name, members in by_file.items():
        text = file_texts[name]
        offset = 0
        for source in members:
            start, end = offset, offset + len(source.text)
            offset = end
            spans[source.slug] = (name, start, end, source.text)
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
            if passages:
                fields["uncertain"] = passages
            entries = _statement_entries(source, statements, parsed, passage_notes, topics, result.warnings)
            if entries:
                fields["statement"] = entries
            source_parts.append(fields)
    in_order = [source for members in by_file.values() for source in members]
    data = TomlData(
        header="# The source texts and who wrote them (exported from the database).\n"
        "# Each file in sources/ holds the verbatim texts of its sources, in order.",
        arrays={"source": source_parts},
        keys={"source": _by_slug},
        owned={"source": WRITTEN_SOURCE_FIELDS},
        tables={"files": files_part},
    )
    return data, in_order, spans


def _quoted_statements(quote: str, organisation_id: int, sources: list[Source]) -> list[Statement]:
    """The statements the build will take ``quote`` to cite (as ``positions.pipeline.stances`` finds quotes):
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


def _stances_toml(*, sources: list[Source], warnings: list[str]) -> TomlData:
    cells = {
        (stance.organisation_id, stance.topic_id): stance
        for stance in Stance.objects.select_related("organisation", "topic").prefetch_related("evidence")
    }
    parts: list[dict] = []
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
                parts.append(fields)
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
            parts.append(fields)
    return TomlData(
        header="# Curated stances, one per organisation × topic (exported from the database).",
        arrays={"stance": parts},
        keys={"stance": lambda entry: (entry["organisation"], entry["topic"])},
        owned={"stance": WRITTEN_STANCE_FIELDS},
    )


def _lexicon_lines(value: str) -> str:
    return "\n".join(line.strip() for line in value.splitlines() if line.strip())


def _date_read(value: str):
    try:
        return parse_date(value)
    except ValueError:
        return value


# What the build reads from a field's text, and what it takes an absent field to be.
READ = {
    "explainer": normalise_whitespace,
    "summary": normalise_whitespace,
    "summary_en": normalise_whitespace,
    "explainer_en": normalise_whitespace,
    "attribution": normalise_whitespace,
    "note": normalise_whitespace,
    "lexicon": _lexicon_lines,
    "colour": str.upper,
    "date": _date_read,
}
DEFAULTS = {"status": "published", "website": "", "region": "", "date_note": "", "url": "", "skip": []}
STANCE_SNAPSHOT = {"value": "value", "summary": "summary", "quotes": "evidence", "status": "status"}
STATEMENT_BUNDLE = {"skip", "uncertain", "statement"}


class Unchanged:
    """Whether a field in a file already gives the build what the database holds, so that the
    write-back can leave its text as an editor wrote it (their quotes, line breaks, comments).

    A stance's fields and a source's statements (``skip``, ``[[source.uncertain]]``,
    ``[[source.statement]]``) are compared as the build of the existing files reads them; other
    fields as the build reads their value (all fields so, if the existing files do not build).
    """

    def __init__(self, existing: BuildResult | None, spans: dict[str, tuple[str, int, int, str]]):
        self.built = build_snapshot(existing) if existing else None
        self.stored = database_snapshot()
        self.spans = spans  # source slug -> (file, start, end, text) as written now
        self.built_spans = {
            s.slug: (s.file, s.seed_start, s.seed_end, s.text) for s in (existing.sources if existing else [])
        }

    def __call__(self, array: str, key: tuple, name: str, old, new) -> bool:
        if self.built is not None and array == "stance" and name in STANCE_SNAPSHOT:
            built, stored = self.built["stances"].get(key), self.stored["stances"].get(key)
            if built is not None and stored is not None:
                return built[STANCE_SNAPSHOT[name]] == stored[STANCE_SNAPSHOT[name]]
        if self.built is not None and array == "source" and name in STATEMENT_BUNDLE | {"starts", "ends"}:
            slug = key[0]
            if self.built_spans.get(slug) != self.spans.get(slug):
                return False
            if name in STATEMENT_BUNDLE:
                return self._statements(self.built, slug) == self._statements(self.stored, slug)
            return True
        return self._read(name, old) == self._read(name, new)

    @staticmethod
    def _statements(snapshot: dict, slug: str) -> dict:
        return {key: value for key, value in snapshot["statements"].items() if key[0] == slug}

    @staticmethod
    def _read(name: str, value):
        if value is None:
            value = DEFAULTS.get(name)
        if isinstance(value, str) and name in READ:
            return READ[name](value)
        return value


def export_fixtures(output_dir: Path, *, include_drafts: bool = True) -> ExportResult:
    """Write the build's input files for the current database into ``output_dir``.

    Every stance is written, drafts with ``status = "draft"``; a cell without one is "none".
    ``include_drafts`` is kept for old callers and has no effect.
    """
    from . import build  # the package imports this module's siblings, not this module

    result = ExportResult()
    output_dir = Path(output_dir)
    try:
        existing = build(output_dir)  # the files being refreshed, as the build reads them
    except SourceError:
        existing = None
    organisations, topics = _organisations_toml(), _topics_toml()
    manifest, sources, spans = _sources(output_dir, result)
    stances = _stances_toml(sources=sources, warnings=result.warnings)
    same = Unchanged(existing, spans)
    _write_toml(output_dir / "organisations.toml", organisations, same, result)
    _write_toml(output_dir / "topics.toml", topics, same, result)
    _write_toml(output_dir / "sources.toml", manifest, same, result)
    _write_toml(output_dir / "stances.toml", stances, same, result)
    _copy_coding(output_dir, result)
    return result


def _copy_coding(output_dir: Path, result: ExportResult) -> None:
    """The codings and the checks' allow-list (fixtures/coding/) are files only: copied as they are."""
    source = codebook_data_dir() / "coding"
    if source.is_dir() and source.resolve() != (output_dir / "coding").resolve():
        for path in sorted(source.glob("*.toml")):
            _write(output_dir / "coding" / path.name, path.read_text(encoding="utf-8"), result)
