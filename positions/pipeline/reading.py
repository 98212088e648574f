"""Reading the data files: TOML with line numbers, and the checks every entry gets.

Every problem is a ``SourceError(file, line, message)``."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from pathlib import Path

from ..errors import SourceError
from ..text import normalise_whitespace

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


SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def _slug(file: TomlFile, entry: dict, line: int, seen: set[str], what: str) -> str:
    slug = _require(file, entry, line, "slug")
    if not SLUG.match(slug):
        raise SourceError(file.path, file.field_line(line, "slug"), f"{what} slug {slug!r} is not a slug")
    if slug in seen:
        raise SourceError(file.path, file.field_line(line, "slug"), f"{what} slug {slug!r} is given twice")
    seen.add(slug)
    return slug


def _excerpt(text: str, limit: int = 60) -> str:
    text = normalise_whitespace(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
