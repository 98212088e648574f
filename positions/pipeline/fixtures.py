"""Writing fixtures: the build's records as Django fixtures, byte-identical for identical inputs,
written all-or-nothing."""

from __future__ import annotations

import datetime
import json
import os
import tempfile
from pathlib import Path

from ..text import sha256
from .data import BuildResult
from .stances import statement_organisation
from .topics import TOPIC_ENGLISH

OUTPUT_FILES = ("parties.json", "positions.json")


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def fixture_records(result: BuildResult) -> dict[str, list[dict]]:
    topic_pks = {topic.slug: topic.pk for topic in result.topics}
    parties = [
        {
            "model": "parties.party",
            "pk": party.pk,
            "fields": {
                "name": party.name,
                "short_name": party.short_name,
                "slug": party.slug,
                "colour": party.colour,
                "website": party.website,
                "order": party.pk,
            },
        }
        for party in result.parties
    ] + [
        {
            "model": "parties.organisation",
            "pk": org.pk,
            "fields": {
                "party": org.party.pk,
                "name": org.name,
                "slug": org.slug,
                "level": org.level,
                "region": org.region,
                "order": org.order,
            },
        }
        for org in result.organisations
    ]
    positions: list[dict] = [
        {
            "model": "positions.topicgroup",
            "pk": group.pk,
            "fields": {"slug": group.slug, "name": group.name, "name_en": group.name_en, "order": group.pk},
        }
        for group in result.groups
    ] + [
        {
            "model": "positions.topic",
            "pk": topic.pk,
            "fields": {
                "slug": topic.slug,
                "name": topic.name,
                "short_name": topic.short_name,
                "question": topic.question,
                "explainer": topic.explainer,
                "order": topic.pk,
                "lexicon": topic.lexicon,
                "group": topic.group.pk if topic.group else None,
                **{name: topic.english.get(name, "") for name in TOPIC_ENGLISH},
            },
        }
        for topic in result.topics
    ]
    for source in result.sources:
        positions.append(
            {
                "model": "positions.source",
                "pk": source.pk,
                "fields": {
                    "slug": source.slug,
                    "organisation": source.organisation.pk,
                    "title": source.title,
                    "kind": source.kind,
                    "language": source.language,
                    "date_precision": source.date_precision,
                    "date_start": _date(source.date_start),
                    "date_end": _date(source.date_end),
                    "date_note": source.date_note,
                    "url": source.url,
                    "seed_file": source.file,
                    "seed_start": source.seed_start,
                    "seed_end": source.seed_end,
                    "note": source.note,
                    "text": source.text,
                    "text_sha256": sha256(source.text),
                },
            }
        )
    for source in result.sources:
        for statement in source.statements:
            positions.append(
                {
                    "model": "positions.statement",
                    "pk": statement.pk,
                    "fields": {
                        "source": source.pk,
                        "organisation": statement_organisation(source, statement).pk,
                        "text": statement.parsed.text,
                        "start": statement.parsed.start,
                        "end": statement.parsed.end,
                        "order": statement.order,
                        "kind": statement.parsed.kind,
                        "topics": sorted(topic_pks[slug] for slug in statement.topics),
                        "confidence": "uncertain" if statement.uncertain_note else "certain",
                        "attribution_note": statement.uncertain_note,
                        "status": statement.status,
                    },
                }
            )
    for stance in result.stances:
        positions.append(
            {
                "model": "positions.stance",
                "pk": stance.pk,
                "fields": {
                    "organisation": stance.organisation.pk,
                    "topic": stance.topic.pk,
                    "value": stance.value,
                    "summary": stance.summary,
                    "summary_en": stance.summary_en,
                    "evidence": [statement.pk for statement in stance.evidence],
                    "status": stance.status,
                },
            }
        )
    return {"parties.json": parties, "positions.json": positions}


def render_fixtures(result: BuildResult) -> dict[str, str]:
    return {
        name: json.dumps(records, ensure_ascii=False, indent=1) + "\n"
        for name, records in fixture_records(result).items()
    }


def write_fixtures(rendered: dict[str, str], out_dir: Path) -> list[Path]:
    """Write every file to a temporary name first, then move them into place."""
    out_dir.mkdir(parents=True, exist_ok=True)
    staged: list[tuple[str, Path]] = []
    try:
        for name, content in rendered.items():
            handle, temporary = tempfile.mkstemp(dir=out_dir, prefix=f".{name}.", suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as stream:
                stream.write(content)
            os.chmod(temporary, 0o644)  # mkstemp makes it private; fixtures are ordinary files
            staged.append((name, Path(temporary)))
    except BaseException:
        for _, temporary in staged:
            temporary.unlink(missing_ok=True)
        raise
    written = []
    for name, temporary in staged:
        target = out_dir / name
        os.replace(temporary, target)
        written.append(target)
    return written
