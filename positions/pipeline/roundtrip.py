"""Checking a write-back: does building the exported files give the database back? Both sides
as snapshots keyed by what identifies a row across builds (not primary keys)."""

from __future__ import annotations

from ..models import Stance, Statement
from .data import BuildResult
from .fixtures import fixture_records


def database_snapshot() -> dict[str, dict]:
    """The curated data in the database, keyed by what identifies it across builds (not pks):
    statements by (source slug, start, end), stances by (organisation slug, topic slug)."""
    statements = {
        (s.source.slug, s.start, s.end): {
            "text": s.text,
            "kind": s.kind,
            "organisation": s.organisation.slug,
            "confidence": s.confidence,
            "attribution_note": s.attribution_note,
            "topics": sorted(t.slug for t in s.topics.all()),
            "status": s.status,
        }
        for s in Statement.objects.select_related("source", "organisation").prefetch_related("topics")
    }
    stances = {
        (stance.organisation.slug, stance.topic.slug): {
            "value": stance.value,
            "summary": stance.summary,
            "evidence": sorted((e.source.slug, e.start, e.end) for e in stance.evidence.all()),
            "status": stance.status,
        }
        for stance in Stance.objects.select_related("organisation", "topic").prefetch_related(
            "evidence__source"
        )
    }
    return {"statements": statements, "stances": stances}


def build_snapshot(result: BuildResult) -> dict[str, dict]:
    """``database_snapshot()`` of the database that loading the build's fixtures would give."""
    records = fixture_records(result)
    orgs = {
        r["pk"]: r["fields"]["slug"] for r in records["parties.json"] if r["model"] == "parties.organisation"
    }
    rows = records["positions.json"]
    topics = {r["pk"]: r["fields"]["slug"] for r in rows if r["model"] == "positions.topic"}
    sources = {r["pk"]: r["fields"]["slug"] for r in rows if r["model"] == "positions.source"}
    keys, statements, stances = {}, {}, {}
    for row in rows:
        fields = row["fields"]
        if row["model"] == "positions.statement":
            keys[row["pk"]] = key = (sources[fields["source"]], fields["start"], fields["end"])
            statements[key] = {
                "text": fields["text"],
                "kind": fields["kind"],
                "organisation": orgs[fields["organisation"]],
                "confidence": fields["confidence"],
                "attribution_note": fields["attribution_note"],
                "topics": sorted(topics[pk] for pk in fields["topics"]),
                "status": fields["status"],
            }
        elif row["model"] == "positions.stance":
            stances[(orgs[fields["organisation"]], topics[fields["topic"]])] = {
                "value": fields["value"],
                "summary": fields["summary"],
                "evidence": sorted(keys[pk] for pk in fields["evidence"]),
                "status": fields["status"],
            }
    return {"statements": statements, "stances": stances}


def differences(built: dict[str, dict], stored: dict[str, dict]) -> list[str]:
    """What differs between two snapshots, one line per statement or stance."""
    lines = []
    for part in ("statements", "stances"):
        for key in sorted(built[part].keys() | stored[part].keys()):
            before, after = stored[part].get(key), built[part].get(key)
            if before == after:
                continue
            if before is None or after is None:
                where = "the build only" if before is None else "the database only"
                lines.append(f"{part[:-1]} {key}: in {where}")
            else:
                changed = ", ".join(
                    f"{name} {before[name]!r} → {after[name]!r}"
                    for name in before
                    if before[name] != after[name]
                )
                lines.append(f"{part[:-1]} {key}: {changed}")
    return lines
