"""Segmenting sources: which part of each file in ``sources/`` each [[source]] is.

A file may hold several organisations' texts (the compilation); ``starts``/``ends`` split
it, and every character must belong to exactly one source."""

from __future__ import annotations

from dataclasses import dataclass

from ..errors import SourceError
from ..text import find_normalised
from .reading import TomlFile, _excerpt, _require


def _line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


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
