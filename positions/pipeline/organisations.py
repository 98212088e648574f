"""organisations.toml: parties and the organisations (branches) that speak for them."""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import SourceError
from .data import OrganisationData, PartyData
from .reading import TomlFile, _choice, _require, _slug, _unknown_keys

LEVELS = ("national", "county", "municipal", "youth")


def load_organisations(path: Path) -> tuple[list[PartyData], list[OrganisationData]]:
    file = TomlFile(path)
    parties: list[PartyData] = []
    party_slugs: set[str] = set()
    for entry, line in file.entries("party"):
        _unknown_keys(file, entry, line, {"slug", "name", "short_name", "colour", "website"})
        colour = _require(file, entry, line, "colour")
        if not re.fullmatch(r"#[0-9A-Fa-f]{6}", colour):
            raise SourceError(file.path, file.field_line(line, "colour"), f"colour {colour!r} is not #RRGGBB")
        parties.append(
            PartyData(
                pk=len(parties) + 1,
                slug=_slug(file, entry, line, party_slugs, "party"),
                name=_require(file, entry, line, "name"),
                short_name=_require(file, entry, line, "short_name"),
                colour=colour.upper(),
                website=entry.get("website", ""),
            )
        )
    if not parties:
        raise SourceError(file.path, 0, "no [[party]] entries")
    by_slug = {party.slug: party for party in parties}
    # Every party speaks first through its national organisation, which shares its slug.
    organisations = [
        OrganisationData(pk=index, slug=p.slug, party=p, name=p.name, level="national", region="", order=0)
        for index, p in enumerate(parties, 1)
    ]
    org_slugs = set(party_slugs)
    branch_counts: dict[str, int] = {}
    for entry, line in file.entries("organisation"):
        _unknown_keys(file, entry, line, {"slug", "party", "name", "level", "region"})
        slug = _slug(file, entry, line, org_slugs, "organisation")
        party_slug = _require(file, entry, line, "party")
        if party_slug not in by_slug:
            raise SourceError(file.path, file.field_line(line, "party"), f"unknown party {party_slug!r}")
        level = _choice(file, entry, line, "level", LEVELS)
        if level == "national":
            raise SourceError(
                file.path,
                file.field_line(line, "level"),
                "national organisations come from [[party]]; a branch must be county, municipal or youth",
            )
        branch_counts[party_slug] = branch_counts.get(party_slug, 0) + 1
        organisations.append(
            OrganisationData(
                pk=len(organisations) + 1,
                slug=slug,
                party=by_slug[party_slug],
                name=_require(file, entry, line, "name"),
                level=level,
                region=entry.get("region", ""),
                order=branch_counts[party_slug],
            )
        )
    return parties, organisations
