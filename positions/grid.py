"""The comparison grid: organisations × topics, one read shared by every page that shows it.

The home page, its htmx fragment, the CSV/JSON export and the admin's draft preview all call
``build_grid``; its cost is fixed at four SQL queries (organisations, topics, stances, evidence
with source and organisation), whatever the number of rows and columns. A test pins that.

What the public sees:

- only published stances, and as their evidence only published statements;
- a published stance other than ``none`` whose evidence is all unpublished is shown as
  "not stated" (its cell is ``None``): the site never shows a position it cannot quote;
- ``published_only=False`` (the admin's preview) shows drafts as well, with all their evidence.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Prefetch

from parties.models import Organisation

from .models import Stance, Statement, Topic

NOT_STATED = Stance.Value.NONE


@dataclass(frozen=True)
class StanceFilter:
    """Keep only organisations whose (shown) stance on ``topic`` (a slug) is ``value``."""

    topic: str
    value: str


@dataclass(frozen=True)
class Cell:
    organisation: Organisation
    topic: Topic
    stance: Stance | None

    @property
    def value(self) -> str:
        """for | partly | against | none — "none" also when there is no (showable) stance."""
        return self.stance.value if self.stance else NOT_STATED

    @property
    def summary(self) -> str:
        return self.stance.summary if self.stance else ""

    @property
    def evidence(self) -> list[Statement]:
        """The statements shown as evidence, in source order, with source and organisation loaded."""
        return self.stance.shown_evidence if self.stance else []

    @property
    def has_uncertain_evidence(self) -> bool:
        return any(statement.is_uncertain for statement in self.evidence)


@dataclass
class Grid:
    organisations: list[Organisation]  # rows, in display order, party selected
    topics: list[Topic]  # columns, in display order
    # (organisation_id, topic_id) -> Stance or None ("not stated"). Each Stance has
    # ``shown_evidence``: a list of Statement with source, organisation and party loaded.
    cells: dict[tuple[int, int], Stance | None] = field(default_factory=dict)
    # Filter values that matched nothing (unknown slugs), for a notice on the page.
    unknown_organisations: list[str] = field(default_factory=list)
    unknown_topics: list[str] = field(default_factory=list)
    # Topic slugs in stance filters that match no topic: such a filter cannot be honoured.
    unknown_stance_topics: list[str] = field(default_factory=list)
    # Every topic, in order, whether shown or not (read anyway; the filter form lists them).
    all_topics: list[Topic] = field(default_factory=list)

    def cell(self, organisation: Organisation, topic: Topic) -> Cell:
        return Cell(organisation, topic, self.cells.get((organisation.pk, topic.pk)))

    def rows(self) -> list[tuple[Organisation, list[Cell]]]:
        return [
            (organisation, [self.cell(organisation, topic) for topic in self.topics])
            for organisation in self.organisations
        ]

    def columns(self) -> list[tuple[Topic, list[Cell]]]:
        """The same cells, topic by topic (for the topic-wise views and the stacked layout)."""
        return [
            (topic, [self.cell(organisation, topic) for organisation in self.organisations])
            for topic in self.topics
        ]

    def __iter__(self):
        """Every cell, row by row: the order of the export."""
        for _organisation, cells in self.rows():
            yield from cells

    def __len__(self) -> int:
        return len(self.organisations) * len(self.topics)


def evidence_queryset(*, published_only: bool = True):
    statements = Statement.objects.published() if published_only else Statement.objects.all()
    # A quote needs its source's title, date and kind, never the source's full text: deferring it
    # keeps kilobytes of text per quote out of every grid read.
    return (
        statements.select_related("source", "organisation__party")
        .defer("source__text", "source__note")
        .order_by("source__date_start", "source_id", "order")
    )


def build_grid(
    *,
    organisations: Iterable[str] | None = None,
    topics: Iterable[str] | None = None,
    levels: Iterable[str] | None = ("national",),
    stance_filters: Sequence[StanceFilter | tuple[str, str]] = (),
    published_only: bool = True,
) -> Grid:
    """Read the grid in four queries.

    ``organisations`` and ``topics`` are slugs (None: all); ``levels`` restricts organisations
    to those levels (None: all levels); ``stance_filters`` are AND-ed. Unknown organisation and
    topic slugs are ignored and reported on the grid; callers validate values before calling.
    """
    stance_filters = [f if isinstance(f, StanceFilter) else StanceFilter(*f) for f in stance_filters]

    levels = list(levels) if levels is not None else None
    organisation_qs = Organisation.objects.select_related("party")
    wanted_orgs = list(dict.fromkeys(organisations)) if organisations is not None else None
    if wanted_orgs is not None:
        # By slug only, so a known slug outside the chosen levels is not reported as unknown.
        named = list(organisation_qs.filter(slug__in=wanted_orgs))  # query 1
        known_org_slugs = {o.slug for o in named}
        rows = [o for o in named if levels is None or o.level in levels]
    else:
        known_org_slugs = set()
        rows = list(organisation_qs if levels is None else organisation_qs.filter(level__in=levels))

    all_topics = list(Topic.objects.all())  # query 2
    wanted_topics = list(dict.fromkeys(topics)) if topics is not None else None
    columns = [t for t in all_topics if wanted_topics is None or t.slug in wanted_topics]
    topic_by_slug = {t.slug: t for t in all_topics}

    filter_topic_ids = {topic_by_slug[f.topic].pk for f in stance_filters if f.topic in topic_by_slug}
    needed_topic_ids = {t.pk for t in columns} | filter_topic_ids

    stances = Stance.objects.published() if published_only else Stance.objects.all()
    stances = stances.filter(
        organisation_id__in=[o.pk for o in rows], topic_id__in=needed_topic_ids
    ).prefetch_related(
        Prefetch(
            "evidence", queryset=evidence_queryset(published_only=published_only), to_attr="shown_evidence"
        )
    )
    cells: dict[tuple[int, int], Stance | None] = {}
    for stance in stances if rows and needed_topic_ids else []:  # queries 3 and 4
        if stance.value != NOT_STATED and not stance.shown_evidence:
            continue  # cannot be quoted publicly: shown as not stated
        cells[(stance.organisation_id, stance.topic_id)] = stance

    def shown_value(organisation: Organisation, topic_slug: str) -> str:
        topic = topic_by_slug.get(topic_slug)
        stance = cells.get((organisation.pk, topic.pk)) if topic else None
        return stance.value if stance else NOT_STATED

    rows = [o for o in rows if all(shown_value(o, f.topic) == f.value for f in stance_filters)]
    column_ids = {t.pk for t in columns}
    row_ids = {o.pk for o in rows}
    cells = {key: s for key, s in cells.items() if key[0] in row_ids and key[1] in column_ids}

    return Grid(
        organisations=rows,
        topics=columns,
        cells=cells,
        unknown_organisations=[slug for slug in wanted_orgs or [] if slug not in known_org_slugs],
        unknown_topics=[slug for slug in wanted_topics or [] if slug not in topic_by_slug],
        unknown_stance_topics=[f.topic for f in stance_filters if f.topic not in topic_by_slug],
        all_topics=all_topics,
    )
