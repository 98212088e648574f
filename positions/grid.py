"""The comparison grid: organisations × topics, one read shared by every page that shows it.

The home page, its htmx fragment, the CSV/JSON export and the admin's draft preview all call
``build_grid``; its cost is fixed at four SQL queries (organisations, topics, stances, evidence
with source), whatever the number of rows and columns. A test pins that.

Speed (a cache miss renders the whole grid): every organisation is read in one query, whatever
the filter, so the page's filter form needs no query of its own and each quote's organisation is
the object already in memory rather than a fresh copy joined in per quote; stances are read
unordered (they land in a dict). The home page shows no quotes, only whether a cell has any and
whether one is of uncertain attribution: ``with_quotes=False`` reads just that of each
statement, still in four queries, and leaves the quotes to the cell's own page.

What the public sees:

- only published stances, and as their evidence only published statements;
- a published stance other than ``none`` whose evidence is all unpublished is shown as
  "not stated" (its cell is ``None``): the site never shows a position it cannot quote;
- ``published_only=False`` (the admin's preview) shows drafts as well, with all their evidence.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils.functional import cached_property

from parties.models import Organisation

from .models import Stance, Statement, Topic, written_after_election

NOT_STATED = Stance.Value.NONE
PER_PAGE = 50  # organisations per page of a paginated grid
# Stand-ins for the slugs in the cell address (slugs themselves, so the URL pattern accepts them).
_ORGANISATION_SLOT, _TOPIC_SLOT = "organisation-slot-3f9c", "topic-slot-3f9c"


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
    url: str  # the cell's own page (and htmx fragment)

    @property
    def value(self) -> str:
        """for | partly | against | none — "none" also when there is no (showable) stance."""
        return self.stance.value if self.stance else NOT_STATED

    @property
    def summary(self) -> str:
        return self.stance.summary_local if self.stance else ""

    @property
    def evidence(self) -> list[Statement]:
        """The statements shown as evidence, in source order, with source and organisation loaded."""
        return self.stance.shown_evidence if self.stance else []

    @property
    def has_uncertain_evidence(self) -> bool:
        return any(statement.is_uncertain for statement in self.evidence)

    @property
    def key(self) -> str:
        """Unique within a grid, for HTML ids: ``<organisation id>-<topic id>``."""
        return f"{self.organisation.pk}-{self.topic.pk}"


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
    # Every organisation, in order, with its party, whatever the filter (the filter form lists them).
    all_organisations: list[Organisation] = field(default_factory=list)
    # With a stance filter: the organisations that match it at the levels not shown.
    elsewhere: list[Organisation] = field(default_factory=list)
    # A paginated grid (``build_grid(page=…)``) holds one page of the rows that match: ``total`` of
    # them in all, ``per_page`` a page. Unpaginated: every row, page 1 of 1.
    total: int = 0
    page: int = 1
    per_page: int | None = None

    @property
    def num_pages(self) -> int:
        if not self.per_page:
            return 1
        return max(1, -(-self.total // self.per_page))

    @property
    def first_shown(self) -> int:
        """The 1-based number of the page's first row (0 when nothing is shown)."""
        return (self.page - 1) * (self.per_page or 0) + 1 if self.organisations else 0

    @property
    def last_shown(self) -> int:
        return self.first_shown + len(self.organisations) - 1 if self.organisations else 0

    # When the public data was last published (any stance or statement): "sist gjennomgått".
    last_reviewed: datetime.datetime | None = None

    @property
    def topic_groups(self) -> list[tuple[object, int]]:
        """(group or None, number of columns) for each run of shown topics in one group: the header
        row over the topic columns. Empty when no topic has a group (no such row is drawn)."""
        if not any(topic.group_id for topic in self.topics):
            return []
        runs: list[tuple[object, int]] = []
        for topic in self.topics:
            if runs and runs[-1][0] == topic.group:
                runs[-1] = (runs[-1][0], runs[-1][1] + 1)
            else:
                runs.append((topic.group, 1))
        return runs

    def cell(self, organisation: Organisation, topic: Topic) -> Cell:
        before, between, after = self._cell_url_parts
        url = f"{before}{organisation.slug}{between}{topic.slug}{after}"
        return Cell(organisation, topic, self.cells.get((organisation.pk, topic.pk)), url)

    @cached_property
    def _cell_url_parts(self) -> tuple[str, str, str]:
        """The cell address around its two slugs, reversed once per grid rather than once per cell
        (81 calls to reverse() were a third of the home page's render). Slugs are URL-safe as they
        are, so filling them in gives what reverse() would."""
        url = reverse("positions:cell", args=[_ORGANISATION_SLOT, _TOPIC_SLOT])
        before, _slot, rest = url.partition(_ORGANISATION_SLOT)
        between, _slot, after = rest.partition(_TOPIC_SLOT)
        return before, between, after

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


def with_source_dates(organisations):
    """Organisations with what the grid says about their sources' age, in the same query:
    ``has_quotes`` (any published statement), ``has_new_source`` (any of those from a source
    written after the last election) and when their stances and statements were last published.
    An organisation with quotes but no new source is marked (``only_old_sources``)."""
    statements = Statement.objects.published().filter(organisation=OuterRef("pk"))
    stances = Stance.objects.published().filter(organisation=OuterRef("pk"))
    return organisations.annotate(
        has_quotes=Exists(statements),
        has_new_source=Exists(statements.filter(written_after_election("source__"))),
        last_stance_published=Subquery(_latest_published(stances)),
        last_statement_published=Subquery(_latest_published(statements)),
    )


def _latest_published(queryset):
    return queryset.filter(published_at__isnull=False).order_by("-published_at").values("published_at")[:1]


def evidence_queryset(*, published_only: bool = True, with_quotes: bool = True):
    """Statements with their source; ``build_grid`` attaches their organisation from memory.

    Without quotes: only what tells a cell with evidence from one without, and flags uncertain
    attribution (``Statement.is_uncertain``); any other field would cost a query per statement.
    """
    statements = Statement.objects.published() if published_only else Statement.objects.all()
    if not with_quotes:
        return statements.only("id", "confidence").order_by()
    # A quote needs its source's title, date and kind, never the source's full text: deferring it
    # keeps kilobytes of text per quote out of every grid read. The build's bookkeeping and the
    # publication stamp are never shown either; not reading them saves a tenth of the grid read.
    return (
        statements.select_related("source")
        .defer(
            "published_at",
            "source__text",
            "source__note",
            "source__seed_file",
            "source__seed_start",
            "source__seed_end",
            "source__text_sha256",
            "source__created_at",
        )
        .order_by("source__date_start", "source_id", "order")
    )


def build_grid(
    *,
    organisations: Iterable[str] | None = None,
    topics: Iterable[str] | None = None,
    levels: Iterable[str] | None = ("national",),
    stance_filters: Sequence[StanceFilter | tuple[str, str]] = (),
    published_only: bool = True,
    with_quotes: bool = True,
    page: int | None = None,
    per_page: int = PER_PAGE,
) -> Grid:
    """Read the grid in four queries (five with a stance filter).

    ``organisations`` and ``topics`` are slugs (None: all); ``levels`` restricts organisations
    to those levels (None: all levels); ``stance_filters`` are AND-ed. Unknown organisation and
    topic slugs are ignored and reported on the grid; callers validate values before calling.
    ``with_quotes=False`` is for pages that show no quotes (see the module docstring).

    ``page`` (1-based) reads only that page of ``per_page`` matching organisations: the stance
    filters are still decided across every organisation of the chosen levels (one query reads the
    filtered topics' shown values for all of them), but stances and evidence are read for the
    page's rows alone, so the cost of a page does not grow with the number of organisations.
    ``grid.total`` is the number of matches. A page past the last is empty (the view says 404).
    """
    stance_filters = [f if isinstance(f, StanceFilter) else StanceFilter(*f) for f in stance_filters]

    levels = list(levels) if levels is not None else None
    all_organisations = list(with_source_dates(Organisation.objects.select_related("party")))  # query 1
    last_published = []
    for organisation in all_organisations:
        organisation.only_old_sources = organisation.has_quotes and not organisation.has_new_source
        last_published += [organisation.last_stance_published, organisation.last_statement_published]
    organisation_by_id = {o.pk: o for o in all_organisations}
    wanted_orgs = list(dict.fromkeys(organisations)) if organisations is not None else None
    # By slug first, so a known slug outside the chosen levels is not reported as unknown.
    named = [o for o in all_organisations if wanted_orgs is None or o.slug in wanted_orgs]
    known_org_slugs = {o.slug for o in named}

    def in_levels(organisation: Organisation) -> bool:
        return levels is None or organisation.level in levels

    # With a stance filter, the organisations outside the chosen levels are read too, so the page
    # can say how many matches the other levels hold (still four queries: only more stance rows).
    rows = named if stance_filters else [o for o in named if in_levels(o)]

    all_topics = list(Topic.objects.select_related("group"))  # query 2
    wanted_topics = list(dict.fromkeys(topics)) if topics is not None else None
    columns = [t for t in all_topics if wanted_topics is None or t.slug in wanted_topics]
    topic_by_slug = {t.slug: t for t in all_topics}

    filter_topic_ids = {topic_by_slug[f.topic].pk for f in stance_filters if f.topic in topic_by_slug}

    stances = Stance.objects.published() if published_only else Stance.objects.all()
    stances = stances.order_by()
    if stance_filters:
        shown = _shown_values(  # query 3 (with a stance filter only)
            stances, published_only, [o.pk for o in rows], filter_topic_ids
        )
        topic_ids = {f.topic: topic_by_slug[f.topic].pk for f in stance_filters if f.topic in topic_by_slug}
        # An unknown topic's stance is "not stated" everywhere (the view refuses such a filter).
        matches = [
            o
            for o in rows
            if all(shown.get((o.pk, topic_ids.get(f.topic)), NOT_STATED) == f.value for f in stance_filters)
        ]
    else:
        matches = rows
    rows = [o for o in matches if in_levels(o)]
    elsewhere = [o for o in matches if not in_levels(o)]
    total = len(rows)
    if page is not None:
        rows = rows[(page - 1) * per_page : page * per_page]

    evidence = evidence_queryset(published_only=published_only, with_quotes=with_quotes)
    column_ids = {t.pk for t in columns}
    stances = stances.filter(
        organisation_id__in=[o.pk for o in rows], topic_id__in=column_ids
    ).prefetch_related(Prefetch("evidence", queryset=evidence, to_attr="shown_evidence"))
    cells: dict[tuple[int, int], Stance | None] = {}
    for stance in stances if rows and column_ids else []:  # queries 3 and 4
        if stance.value != NOT_STATED and not stance.shown_evidence:
            continue  # cannot be quoted publicly: shown as not stated
        for statement in stance.shown_evidence if with_quotes else ():
            # Every organisation is in memory (one created a moment ago would be loaded lazily).
            if statement.organisation_id in organisation_by_id:
                statement.organisation = organisation_by_id[statement.organisation_id]
            # A quote names its source with the source's organisation ("Rusomsorg — Venstre").
            if statement.source.organisation_id in organisation_by_id:
                statement.source.organisation = organisation_by_id[statement.source.organisation_id]
        cells[(stance.organisation_id, stance.topic_id)] = stance

    return Grid(
        last_reviewed=max(filter(None, last_published), default=None),
        organisations=rows,
        topics=columns,
        cells=cells,
        unknown_organisations=[slug for slug in wanted_orgs or [] if slug not in known_org_slugs],
        unknown_topics=[slug for slug in wanted_topics or [] if slug not in topic_by_slug],
        unknown_stance_topics=[f.topic for f in stance_filters if f.topic not in topic_by_slug],
        all_topics=all_topics,
        all_organisations=all_organisations,
        elsewhere=elsewhere,
        total=total,
        page=page or 1,
        per_page=per_page if page is not None else None,
    )


def _shown_values(stances, published_only: bool, organisation_ids, topic_ids) -> dict[tuple[int, int], str]:
    """(organisation id, topic id) -> the value the public is shown, in one query: a stated stance
    without showable evidence is shown as not stated, as in the grid itself."""
    evidence = Statement.objects.filter(stances=OuterRef("pk"))
    if published_only:
        evidence = evidence.published()
    shown = (
        stances.filter(organisation_id__in=organisation_ids, topic_id__in=topic_ids)
        .filter(Q(value=NOT_STATED) | Exists(evidence))
        .values_list("organisation_id", "topic_id", "value")
    )
    return {(organisation_id, topic_id): value for organisation_id, topic_id, value in shown}
