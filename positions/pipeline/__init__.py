"""The data pipeline: build the fixtures from the human-edited data files: the one way in for curated data.

Inputs (all in ``fixtures/``):

- ``organisations.toml``: parties and their organisations;
- ``topics.toml``: topics with explainers and tagging lexicons;
- ``sources.toml``: the manifest of source texts in ``sources/``: checksums, who wrote what
  (segments of the multi-party compilation), uncertain passages, site chrome to skip, dates;
- ``stances.toml``: the curated stance of every organisation on every topic, with quotes.

Outputs: ``parties.json`` and ``positions.json``, Django fixtures with stable primary keys,
byte-identical for identical inputs.

Everything is read and checked before anything is written; any problem raises ``SourceError``
naming the file, the line and what is wrong, and leaves the existing fixture files untouched.

One module per step, in the order the data goes through them:

- ``reading``: TOML with line numbers and the checks every entry gets (``SourceError``);
- ``data``: the records the steps fill in;
- ``organisations``, ``topics``: the two reference files;
- ``sources``: checksums and each [[source]]; ``segments`` splits a file between its sources;
  ``statements`` gives each source its statements (parser, uncertain passages, overrides);
- ``stances``: every cell, each quote found verbatim in the organisation's own statements;
- ``checks``: the codebook's anchors, and what summaries and quotes say (``positions.stance_checks``);
- ``fixtures``: the records as ``parties.json`` and ``positions.json``;
- ``writeback``: the other way, the database back out as the input files (``export_fixtures``),
  with ``overrides`` (statements back into skip lines, passages and overrides), ``toml_output``
  (tomlkit, merging into the files there) and ``roundtrip`` (does the build give it back?).
"""

from __future__ import annotations

from pathlib import Path

from .checks import check_codebook, check_stance_texts
from .data import BuildResult
from .fixtures import OUTPUT_FILES, fixture_records, render_fixtures, write_fixtures
from .organisations import load_organisations
from .reading import TomlFile
from .sources import load_sources, parse_date
from .stances import load_stances
from .topics import load_topic_groups, load_topics

__all__ = [
    "OUTPUT_FILES",
    "BuildResult",
    "build",
    "fixture_records",
    "parse_date",
    "render_fixtures",
    "write_fixtures",
]


def build(data_dir: Path) -> BuildResult:
    """Read and check every input; raise SourceError on the first problem."""
    parties, organisations = load_organisations(data_dir / "organisations.toml")
    groups = load_topic_groups(TomlFile(data_dir / "topics.toml"))
    topics = load_topics(data_dir / "topics.toml", groups)
    sources = load_sources(data_dir / "sources.toml", data_dir / "sources", organisations, topics)
    stances = load_stances(data_dir / "stances.toml", organisations, topics, sources)
    result = BuildResult(parties, organisations, topics, sources, stances, groups=groups)
    result.warnings += check_codebook(data_dir / "topics.toml", result)
    result.warnings += check_stance_texts(data_dir, result)
    return result
