"""topics.toml: the topics, their explainers and tagging lexicons."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import SourceError
from ..tagging import compile_lexicon
from ..text import normalise_whitespace
from .data import TopicData, TopicGroupData
from .reading import TomlFile, _require, _slug, _unknown_keys

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
