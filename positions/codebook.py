"""The codebook: the rules by which a stance is coded, read from ``fixtures/topics.toml``.

It is written in one place only, next to the topics: ``[[rule]]`` tables hold the general rules
(attribution of unnamed passages, referents, a government's plan vs. a party's pledge …) and each
``[[topic]]`` has a ``[topic.codebook]`` table saying what counts as for / partly / against /
none, the edge cases decided, and anchor examples (``[[topic.codebook.anchor]]``). The build
checks it (``positions.pipeline.checks``: anchors are verbatim and by their organisation);
``/metode/`` publishes it through :func:`read_codebook`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils.translation import get_language

from .errors import SourceError

VALUES = ("for", "partly", "against", "none")
RULE_FIELDS = {"slug", "title", "text", "title_en", "text_en"}
CODEBOOK_FIELDS = {*VALUES, *(f"{value}_en" for value in VALUES), "edge_cases", "edge_cases_en", "anchor"}
ANCHOR_FIELDS = {"organisation", "value", "quote", "note", "note_en"}


def _english() -> bool:
    return (get_language() or "").startswith("en")


def _local(obj, name: str):
    """The English text on English pages where it is written, the bokmål one otherwise."""
    if _english() and (english := getattr(obj, f"{name}_en")):
        return english
    return getattr(obj, name)


def paragraphs(text: str) -> list[str]:
    """Plain paragraphs separated by blank lines, each on one line."""
    return [" ".join(block.split()) for block in text.split("\n\n") if block.strip()]


@dataclass(frozen=True)
class Rule:
    slug: str
    title: str
    text: str
    title_en: str = ""
    text_en: str = ""

    @property
    def title_local(self) -> str:
        return _local(self, "title")

    @property
    def paragraphs_local(self) -> list[str]:
        return paragraphs(_local(self, "text"))


@dataclass(frozen=True)
class Anchor:
    organisation: str
    value: str
    quote: str
    note: str = ""
    note_en: str = ""

    @property
    def note_local(self) -> str:
        return _local(self, "note")


@dataclass(frozen=True)
class TopicCodebook:
    topic: str
    for_: str
    partly: str
    against: str
    none: str
    edge_cases: tuple[str, ...] = ()
    for_en: str = ""
    partly_en: str = ""
    against_en: str = ""
    none_en: str = ""
    edge_cases_en: tuple[str, ...] = ()
    anchors: tuple[Anchor, ...] = ()

    def definitions(self) -> list[tuple[str, str]]:
        """(value, what counts as that value) in the order for, partly, against, none."""
        english = _english()
        out = []
        for value in VALUES:
            attribute = "for_" if value == "for" else value
            text = (english and getattr(self, f"{value}_en")) or getattr(self, attribute)
            out.append((value, text))
        return out

    @property
    def edge_cases_local(self) -> tuple[str, ...]:
        return (_english() and self.edge_cases_en) or self.edge_cases


@dataclass
class Codebook:
    rules: list[Rule] = field(default_factory=list)
    topics: dict[str, TopicCodebook] = field(default_factory=dict)


def _line(text: str, fragment: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if fragment in line:
            return number
    return 0


def _strings(path: Path, text: str, table: dict, names, where: str) -> dict[str, str]:
    out = {}
    for name in names:
        value = table.get(name, "")
        if not isinstance(value, str):
            raise SourceError(path, _line(text, f"{name} ="), f"{where}: '{name}' must be a string")
        out[name] = value.strip()
    return out


def _unknown(path: Path, text: str, table: dict, allowed: set[str], where: str) -> None:
    for key in table:
        if key not in allowed:
            raise SourceError(
                path,
                _line(text, f"{key} ="),
                f"{where}: unknown field '{key}'; expected: {', '.join(sorted(allowed))}",
            )


def parse_codebook(path: Path) -> Codebook:
    """Read the rules and every topic's codebook; raise SourceError on a malformed entry."""
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SourceError(path, getattr(error, "lineno", 0), f"not valid TOML: {error}") from None
    codebook = Codebook()
    for rule in data.get("rule", []):
        _unknown(path, text, rule, RULE_FIELDS, "[[rule]]")
        fields = _strings(path, text, rule, RULE_FIELDS, "[[rule]]")
        for name in ("slug", "title", "text"):
            if not fields[name]:
                raise SourceError(path, _line(text, "[[rule]]"), f"[[rule]]: '{name}' must not be empty")
        codebook.rules.append(Rule(**fields))
    for topic in data.get("topic", []):
        table = topic.get("codebook")
        if table is None:
            continue
        slug = topic.get("slug", "?")
        where = f"the codebook of {slug}"
        if not isinstance(table, dict):
            raise SourceError(path, _line(text, "codebook ="), f"{where} must be a [topic.codebook] table")
        _unknown(path, text, table, CODEBOOK_FIELDS, where)
        fields = _strings(path, text, table, [*VALUES, *(f"{value}_en" for value in VALUES)], where)
        for value in VALUES:
            if not fields[value]:
                raise SourceError(path, _line(text, f'slug = "{slug}"'), f"{where}: '{value}' is missing")
        edge = {}
        for name in ("edge_cases", "edge_cases_en"):
            cases = table.get(name, [])
            if not isinstance(cases, list) or not all(
                isinstance(case, str) and case.strip() for case in cases
            ):
                raise SourceError(
                    path, _line(text, f"{name} ="), f"{where}: '{name}' must be a list of strings"
                )
            edge[name] = tuple(case.strip() for case in cases)
        anchors = []
        for anchor in table.get("anchor", []):
            _unknown(path, text, anchor, ANCHOR_FIELDS, f"an anchor of {slug}")
            anchor_fields = _strings(path, text, anchor, ANCHOR_FIELDS, f"an anchor of {slug}")
            if anchor_fields["value"] not in VALUES:
                raise SourceError(
                    path,
                    _line(text, anchor_fields["quote"][:40] or "[[topic.codebook.anchor]]"),
                    f"an anchor of {slug}: value {anchor_fields['value']!r} is not one of "
                    f"{', '.join(VALUES)}",
                )
            if not anchor_fields["organisation"] or not anchor_fields["quote"]:
                raise SourceError(
                    path,
                    _line(text, "[[topic.codebook.anchor]]"),
                    f"an anchor of {slug} needs organisation and quote",
                )
            anchors.append(Anchor(**anchor_fields))
        codebook.topics[slug] = TopicCodebook(
            topic=slug,
            for_=fields["for"],
            partly=fields["partly"],
            against=fields["against"],
            none=fields["none"],
            for_en=fields["for_en"],
            partly_en=fields["partly_en"],
            against_en=fields["against_en"],
            none_en=fields["none_en"],
            anchors=tuple(anchors),
            **edge,
        )
    return codebook


def data_dir() -> Path:
    """Where the published codebook and codings are read from (tests point it elsewhere)."""
    return Path(getattr(settings, "CODEBOOK_DIR", settings.BASE_DIR / "fixtures"))


def read_codebook() -> Codebook:
    """The codebook as published on /metode/."""
    return parse_codebook(data_dir() / "topics.toml")
