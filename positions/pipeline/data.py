"""The data being built: plain records the steps fill in, one per future database row."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from ..parsing import ParsedStatement

# --- The data being built ----------------------------------------------------------------------


@dataclass
class PartyData:
    pk: int
    slug: str
    name: str
    short_name: str
    colour: str
    website: str


@dataclass
class OrganisationData:
    pk: int
    slug: str
    party: PartyData
    name: str
    level: str
    region: str
    order: int


@dataclass
class TopicGroupData:
    pk: int
    slug: str
    name: str
    name_en: str


@dataclass
class TopicData:
    pk: int
    slug: str
    name: str
    short_name: str
    question: str
    explainer: str
    lexicon: str
    group: TopicGroupData | None = None
    english: dict[str, str] = field(default_factory=dict)  # name_en, short_name_en, question_en, explainer_en

    @property
    def patterns(self) -> list[str]:
        return [line.strip() for line in self.lexicon.splitlines() if line.strip()]


@dataclass
class StatementData:
    pk: int
    parsed: ParsedStatement
    order: int
    topics: set[str] = field(default_factory=set)
    uncertain_note: str = ""
    organisation: OrganisationData | None = None  # None: the source's organisation
    status: str = "published"
    topics_final: bool = False  # topics set by an editor: stances add none

    @property
    def confidence_flagged(self) -> bool:
        return bool(self.uncertain_note)


@dataclass
class SourceData:
    pk: int
    slug: str
    file: str
    organisation: OrganisationData
    title: str
    kind: str
    language: str
    date_precision: str
    date_start: datetime.date | None
    date_end: datetime.date | None
    date_note: str
    url: str
    note: str
    seed_start: int
    seed_end: int
    text: str
    statements: list[StatementData] = field(default_factory=list)


@dataclass
class StanceData:
    pk: int
    organisation: OrganisationData
    topic: TopicData
    value: str
    summary: str
    evidence: list[StatementData]
    status: str = "published"
    summary_en: str = ""
    quotes: list[str] = field(default_factory=list)


@dataclass
class BuildResult:
    parties: list[PartyData]
    organisations: list[OrganisationData]
    topics: list[TopicData]
    sources: list[SourceData]
    stances: list[StanceData]
    groups: list[TopicGroupData] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def statements(self) -> list[StatementData]:
        return [statement for source in self.sources for statement in source.statements]


STATUSES = ("draft", "published")
