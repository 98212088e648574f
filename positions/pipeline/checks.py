"""Checks over the whole build: the codebook's anchors, and what a stance's summary and quotes say."""

from __future__ import annotations

from pathlib import Path

from ..codebook import parse_codebook
from ..errors import SourceError
from ..stance_checks import check_stance_texts as check_texts
from .data import BuildResult
from .reading import TomlFile, _excerpt
from .stances import _evidence_for_quote


def check_codebook(path: Path, result: BuildResult) -> list[str]:
    """Every anchor quote verbatim and by its organisation (else SourceError); warn for topics
    without a codebook."""
    codebook = parse_codebook(path)
    file = TomlFile(path)
    orgs = {organisation.slug for organisation in result.organisations}
    for slug, topic_codebook in codebook.topics.items():
        for anchor in topic_codebook.anchors:
            line = file.text_line(1, anchor.quote) if anchor.quote else 0
            if anchor.organisation not in orgs:
                raise SourceError(
                    path, line, f"an anchor of {slug}: unknown organisation {anchor.organisation!r}"
                )
            if _evidence_for_quote(result.sources, anchor.quote, anchor.organisation) is None:
                raise SourceError(
                    path,
                    line,
                    f"an anchor of {slug}: quote not found verbatim in {anchor.organisation}'s source texts: "
                    f"«{_excerpt(anchor.quote, 80)}»",
                )
    return [
        f"{path.name}: the topic {topic.slug} has no codebook"
        for topic in result.topics
        if topic.slug not in codebook.topics
    ]


def check_stance_texts(data_dir: Path, result: BuildResult) -> list[str]:
    """A summary names no other organisation; a quote pointing back carries its antecedent."""
    return check_texts(data_dir, result, data_dir / "stances.toml")
