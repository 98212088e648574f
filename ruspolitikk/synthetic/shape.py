"""Who speaks and where: the real national parties, their youth wings, a branch per party in
every county and municipality, and each organisation's sources with dated programme periods."""

import datetime
import random
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.text import slugify

from .places import counties, municipalities

# How a branch names itself after its place: "Horten Venstre", "Bergen Arbeiderparti".
BRANCH_SUFFIX = {
    "r": "Rødt",
    "sv": "SV",
    "ap": "Arbeiderparti",
    "sp": "Senterparti",
    "mdg": "MDG",
    "krf": "KrF",
    "v": "Venstre",
    "h": "Høyre",
    "frp": "FrP",
}
YOUTH_WING = {
    "r": ("Rød Ungdom", "rod-ungdom"),
    "sv": ("Sosialistisk Ungdom", "sosialistisk-ungdom"),
    "ap": ("Arbeidernes ungdomsfylking", "auf"),
    "sp": ("Senterungdommen", "senterungdommen"),
    "mdg": ("Grønn Ungdom", "gronn-ungdom"),
    "krf": ("Kristelig Folkepartis Ungdom", "krfu"),
    "v": ("Unge Venstre", "unge-venstre"),
    "h": ("Unge Høyre", "unge-hoyre"),
    "frp": ("Fremskrittspartiets Ungdom", "fpu"),
}
# Where branches mostly write nynorsk; Senterungdommen writes nynorsk too (its real resolution).
NYNORSK_COUNTIES = {"Vestland", "Møre og Romsdal"}
NYNORSK_ORGANISATIONS = {"senterungdommen"}
PROGRAMME_PERIODS = ((2017, 2021), (2021, 2025), (2025, 2029))
LOCAL_PERIODS = ((2019, 2023), (2023, 2027))


def place_slug(text: str) -> str:
    """ASCII slugs the way the real ones are written: Høyre → hoyre, Tønsberg → tonsberg."""
    for letter, ascii_ in (("æ", "ae"), ("ø", "o"), ("å", "a"), ("Æ", "Ae"), ("Ø", "O"), ("Å", "A")):
        text = text.replace(letter, ascii_)
    return slugify(text)


@dataclass(frozen=True)
class PartyPlan:
    pk: int
    slug: str
    name: str
    short_name: str
    colour: str
    website: str


@dataclass(frozen=True)
class OrganisationPlan:
    pk: int
    party: PartyPlan
    slug: str
    name: str
    level: str
    region: str
    order: int
    county: str

    @property
    def language(self) -> str:
        if self.slug in NYNORSK_ORGANISATIONS or self.county in NYNORSK_COUNTIES:
            return "nn"
        return "nb"


@dataclass(frozen=True)
class SourcePlan:
    kind: str
    title: str
    date_precision: str
    date_start: datetime.date | None
    date_end: datetime.date | None
    date_note: str
    key: str  # unique within the organisation; the slug's tail


def parties() -> list[PartyPlan]:
    from positions.pipeline.organisations import load_organisations

    loaded, _ = load_organisations(Path(settings.BASE_DIR) / "fixtures" / "organisations.toml")
    return [PartyPlan(p.pk, p.slug, p.name, p.short_name, p.colour, p.website) for p in loaded]


def organisations(count: int, party_plans: list[PartyPlan]) -> list[OrganisationPlan]:
    """``count`` organisations: every national party and youth wing, then county branches county
    by county, then local branches municipality by municipality (each place gets every party's
    branch before the next place gets any). Oslo is a county and a municipality at once: its
    county branch is its local branch, so it has no separate local one."""
    if count < len(party_plans):
        raise ValueError(f"at least {len(party_plans)} organisations (the national parties), not {count}")
    wanted: list[tuple] = [(p, p.slug, p.name, "national", "", "") for p in party_plans]
    wanted += [(p, YOUTH_WING[p.slug][1], YOUTH_WING[p.slug][0], "youth", "", "") for p in party_plans]
    for county in counties():
        for p in party_plans:
            name = f"{county} {BRANCH_SUFFIX[p.slug]}"
            wanted.append((p, place_slug(name), name, "county", county, county))
    for place in municipalities():
        if place.name in counties():
            continue
        for p in party_plans:
            name = f"{place.name} {BRANCH_SUFFIX[p.slug]}"
            slug = place_slug(f"{place.label} {BRANCH_SUFFIX[p.slug]}")
            wanted.append((p, slug, name, "municipal", place.label, place.county))
    if count > len(wanted):
        raise ValueError(f"at most {len(wanted)} organisations (every party in every place), not {count}")
    orders: dict[int, int] = {}
    result = []
    for pk, (party, slug, name, level, region, county) in enumerate(wanted[:count], start=1):
        orders[party.pk] = orders.get(party.pk, -1) + 1
        result.append(OrganisationPlan(pk, party, slug, name, level, region, orders[party.pk], county))
    return result


def sources(organisation: OrganisationPlan, rng: random.Random) -> list[SourcePlan]:
    """Every kind of source, with the dating the real ones have: programmes by period,
    resolutions and articles to the day, web pages approximately."""
    periods = PROGRAMME_PERIODS if organisation.level == "national" else LOCAL_PERIODS
    if organisation.level == "youth":
        periods = PROGRAMME_PERIODS[-1:]
    plans = [
        SourcePlan(
            "programme",
            f"Program {start}–{end}",
            "period",
            datetime.date(start, 1, 1),
            datetime.date(end, 12, 31),
            f"Programperioden {start}–{end}.",
            f"program-{start}-{end}",
        )
        for start, end in periods
    ]
    day = datetime.date(2018, 1, 1) + datetime.timedelta(days=rng.randrange(2800))
    if organisation.level != "municipal":
        plans.append(
            SourcePlan(
                "resolution",
                "Resolusjon om ruspolitikk",
                "day",
                day,
                None,
                "Vedtatt på årsmøtet.",
                f"resolusjon-{day:%Y}",
            )
        )
        plans.append(
            SourcePlan(
                "web_page",
                "Ruspolitikk",
                "approximate",
                datetime.date(2024, 1, 1),
                None,
                "Nettsiden nevner 2024.",
                "nettside",
            )
        )
    if organisation.level in ("national", "municipal"):
        plans.append(
            SourcePlan(
                "article",
                "Innlegg om rusomsorg",
                "day",
                day,
                None,
                "Datert i avisen.",
                f"innlegg-{day:%Y%m%d}",
            )
        )
    return plans
