"""topics.toml: the topics, their explainers and tagging lexicons."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import SourceError
from ..tagging import compile_lexicon
from ..text import normalise_whitespace
from .data import TopicData
from .reading import TomlFile, _require, _slug, _unknown_keys


def load_topics(path: Path) -> list[TopicData]:
    file = TomlFile(path)
    topics: list[TopicData] = []
    seen: set[str] = set()
    for entry, line in file.entries("topic"):
        _unknown_keys(file, entry, line, {"slug", "name", "short_name", "question", "explainer", "lexicon"})
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
        )
        try:
            compile_lexicon(tuple(topic.patterns))
        except re.error as error:
            raise SourceError(file.path, file.field_line(line, "lexicon"), f"bad pattern: {error}") from None
        topics.append(topic)
    if not topics:
        raise SourceError(file.path, 0, "no [[topic]] entries")
    return topics
