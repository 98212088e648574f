"""sources.toml: checksums of the source files, then each [[source]] with its dates, segment
and statements."""

from __future__ import annotations

import datetime
import hashlib
import re
from pathlib import Path

from ..errors import SourceError
from ..text import normalise_whitespace
from .data import OrganisationData, SourceData, TopicData
from .reading import TomlFile, _choice, _require, _slug, _unknown_keys
from .segments import _segment, _source_entries, _SourceEntry
from .statements import (
    PassageCutsStatement,
    _apply_statement_overrides,
    _uncertain_spans,
    default_statements,
    mark_uncertain,
)

SOURCE_KINDS = ("programme", "web_page", "resolution", "article")
LANGUAGES = ("nb", "nn")


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


SOURCE_FIELDS = {
    "slug", "file", "starts", "ends", "organisation", "title", "kind", "language", "date",
    "date_note", "url", "attribution", "skip", "uncertain", "statement",
}  # fmt: skip


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
