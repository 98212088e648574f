"""The comparison grid: organisations × topics, one read shared by every page that shows it.

The home page, its htmx fragment, the CSV/JSON export and the admin's draft preview all call
``build_grid``; its cost is a fixed number of SQL queries (topics, organisations, stances, and
evidence with source), whatever the number of rows, columns and organisations in the country.
Tests pin the counts at two data sizes.

Speed (a cache miss renders the whole grid): only the rows shown become objects, read in one query
with what a filter form offers by name beside them (``OFFERED_LEVELS``), so the form needs no query
of its own and each quote's organisation is an object already in memory. A page of a level with
branches first reads only that page's ids, with the level's count beside them; a grid filtered by
name or stance first reads the matching organisations as (id, slug, level) rows.
Stances are read unordered (they land in a dict). The home page shows no quotes, only whether a
cell has any and whether one is of uncertain attribution: ``with_quotes=False`` reads those two
flags with each stance as plain values (``ShownStance``) and leaves the quotes to the cell's page.

What the public sees:

- only published stances, and as their evidence only published statements;
- a published stance other than ``none`` whose evidence is all unpublished is shown as
  "not stated" (its cell is ``None``): the site never shows a position it cannot quote;
- ``published_only=False`` (the admin's preview) shows drafts as well, with all their evidence.
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db.models import Case, Count, Exists, Max, OuterRef, Prefetch, Q, Subquery, Value, When
from django.utils.functional import cached_property

from parties.models import Organisation

from .addresses import address_parts
from .models import Source, Stance, Statement, Topic, in_language, written_after_election

NOT_STATED = Stance.Value.NONE
# What a cell shows of its stance when the grid is read without quotes (ShownStance).
SHOWN_STANCE_FIELDS = ("value", "summary", "summary_en", "published_at")
# Organisations a page of a paginated grid shows, as a page of the valgomat's ranking does. With 30
# topics a page of 50 was 1,500 cells and 925 KB of HTML, and its cost was mostly its cells.
PER_PAGE = 20
QUOTE, UNCERTAIN_QUOTE = 1, 2  # what a stance's strongest shown quote is (``_shown_cells``)
# The levels a filter form lists by name, beside the organisations asked for: the parties and their
# youth wings. Branches (hundreds per party in the country) are reached by level, search and link.
OFFERED_LEVELS = ("national", "youth")


def is_shown(value: str, has_quote: bool) -> bool:
    """Whether the public sees a stance as it is: when it states nothing, or has a quote the public
    may see. A stated stance without one is shown as not stated: the site never shows a position it
    cannot quote (``_shown_values`` asks the same in SQL)."""
    return value == NOT_STATED or has_quote


def page_count(total: int, per_page: int) -> int:
    """How many pages ``total`` items make, ``per_page`` a page: at least one, even when empty."""
    return max(1, -(-total // per_page))


@dataclass(frozen=True)
class StanceFilter:
    """Keep only organisations whose (shown) stance on ``topic`` (a slug) is ``value``."""

    topic: str
    value: str


@dataclass(frozen=True, slots=True)
class ShownStance:
    """A published stance as a grid read without quotes holds it: what its cell shows, read as
    plain values (at seed size a model object per stance was a tenth of the home page's cost)."""

    value: str
    summary: str
    summary_en: str
    published_at: datetime.datetime | None
    shown_uncertain: bool  # some of its shown evidence is of uncertain attribution

    @property
    def summary_local(self) -> str:
        return in_language(self, "summary")


def shows_uncertain(stance: "Stance | ShownStance") -> bool:
    """Whether some of a stance's shown evidence is of uncertain attribution (⚠ in its cell)."""
    if isinstance(stance, ShownStance):  # read without quotes: the flag itself
        return stance.shown_uncertain
    return any(statement.is_uncertain for statement in getattr(stance, "shown_evidence", []))


@dataclass(frozen=True)
class Cell:
    organisation: Organisation
    topic: Topic
    stance: Stance | ShownStance | None  # ShownStance in a grid read without quotes
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
        """The statements shown as evidence, in source order, with source and organisation loaded
        (empty in a grid read ``with_quotes=False``: ask ``has_uncertain_evidence`` there)."""
        return getattr(self.stance, "shown_evidence", [])

    @property
    def has_uncertain_evidence(self) -> bool:
        return self.stance is not None and shows_uncertain(self.stance)

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
        return page_count(self.total, self.per_page)

    @property
    def first_shown(self) -> int:
        """The 1-based number of the page's first row (0 when nothing is shown)."""
        return (self.page - 1) * (self.per_page or 0) + 1 if self.organisations else 0

    @property
    def last_shown(self) -> int:
        return self.first_shown + len(self.organisations) - 1 if self.organisations else 0

    # When the rows' public data was last published (their stances or statements): "sist gjennomgått"
    # (read ``with_source_dates`` only).
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

    def organisation_url(self, organisation: Organisation) -> str:
        before, after = self._organisation_url_parts
        return f"{before}{organisation.slug}{after}"

    def topic_url(self, topic: Topic) -> str:
        before, after = self._topic_url_parts
        return f"{before}{topic.slug}{after}"

    # Addresses come from ``positions.addresses``, reversed once per language rather than once per
    # cell or row (81 calls to reverse() were a third of the home page's render).
    @cached_property
    def _cell_url_parts(self) -> tuple[str, ...]:
        return address_parts("positions:cell", 2)

    @cached_property
    def topic_labels(self) -> dict[int, str]:
        """Each shown topic's short name in the page's language, by id."""
        return {topic.pk: topic.short_name_local for topic in self.topics}

    @cached_property
    def _topic_url_parts(self) -> tuple[str, ...]:
        return address_parts("positions:topic")

    @cached_property
    def _organisation_url_parts(self) -> tuple[str, ...]:
        return address_parts("positions:organisation")

    def rows(self) -> list[tuple[Organisation, list[Cell]]]:
        return self._rows

    @cached_property
    def _rows(self) -> list[tuple[Organisation, list[Cell]]]:
        # Once per grid: the page walks the rows, then the legend asks whether any cell is uncertain.
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


def source_dates(organisation_ids: Iterable[int]) -> dict[int, tuple[bool, datetime.datetime | None]]:
    """What the grid says about the age of each organisation's sources, in one query: for each
    organisation with a published statement, whether any of them comes from a source written after
    the last election, and when its statements were last published.

    Grouped by (organisation, source), so the published statements are read from their covering
    index alone (``statement_published_by_source``) and each source's date is looked up once per
    group, by its key. Joining every statement to its source made PostgreSQL hash all the country's
    sources: 7.5 ms for a page of 50 branches at national size, 0.6 ms this way. The few groups
    (an organisation's sources) are folded per organisation here."""
    dates: dict[int, tuple[bool, datetime.datetime | None]] = {}
    for organisation_id, new, last in source_date_groups(organisation_ids):
        has_new, latest = dates.get(organisation_id, (False, None))
        dates[organisation_id] = (has_new or new, max(filter(None, (latest, last)), default=None))
    return dates


def source_date_groups(organisation_ids: Iterable[int]):
    """(organisation id, whether the source was written after the election, when the organisation's
    statements from it were last published): a row per organisation and source (``source_dates``)."""
    # A scalar subquery by key, not EXISTS: PostgreSQL may answer an EXISTS from a hash of every
    # source that matches, and did at national size (4.6 ms for a page of 20; 0.6 ms by key).
    written_after = Case(When(written_after_election(), then=Value(True)), default=Value(False))
    source = Source.objects.filter(pk=OuterRef("source_id")).order_by()  # by key, nothing joined
    new_source = Subquery(source.values(new=written_after))
    return (
        Statement.objects.published()
        .filter(organisation_id__in=organisation_ids)
        .order_by()
        .values("organisation_id", "source_id")
        .annotate(last=Max("published_at"))
        .annotate(new=new_source)  # after the grouping: once per group, not part of its key
        .values_list("organisation_id", "new", "last")
    )


def evidence_queryset(*, published_only: bool = True):
    """Statements with their source; ``build_grid`` attaches their organisation from memory."""
    statements = Statement.objects.published() if published_only else Statement.objects.all()
    return statements.as_quotes().order_by("source__date_start", "source_id", "order")


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
    with_source_dates: bool = False,
) -> Grid:
    """Read the grid: topics, organisations (their matching ids first when filtered, or paged
    through a level of branches),
    stances, and with quotes their evidence; one query more with a stance filter.

    ``organisations`` and ``topics`` are slugs (None: all); ``levels`` restricts organisations
    to those levels (None: all levels); ``stance_filters`` are AND-ed. Unknown organisation and
    topic slugs are ignored and reported on the grid; callers validate values before calling.
    ``with_quotes=False`` is for pages that show no quotes (see the module docstring).

    ``page`` (1-based) reads only that page of ``per_page`` matching organisations: the stance
    filters are still decided across every organisation of the chosen levels (one query reads the
    filtered topics' shown values for all of them), but stances and evidence are read for the
    page's rows alone, so the cost of a page does not grow with the number of organisations.
    ``grid.total`` is the number of matches. A page past the last is empty (the view says 404).

    ``with_source_dates`` (one query more) marks the rows whose quotes all come from before the last
    election (``only_old_sources``) and sets ``last_reviewed``; both are about the rows read only, so
    their cost does not grow with the number of organisations either.
    """
    stance_filters = [f if isinstance(f, StanceFilter) else StanceFilter(*f) for f in stance_filters]

    levels = list(levels) if levels is not None else None
    wanted_orgs = list(dict.fromkeys(organisations)) if organisations is not None else None
    named = Organisation.objects.all()
    if wanted_orgs is not None:
        named = named.filter(slug__in=wanted_orgs)

    all_topics = list(Topic.objects.select_related("group"))  # query 1
    wanted_topics = list(dict.fromkeys(topics)) if topics is not None else None
    columns = [t for t in all_topics if wanted_topics is None or t.slug in wanted_topics]
    topic_by_slug = {t.slug: t for t in all_topics}

    stances = Stance.objects.published() if published_only else Stance.objects.all()
    stances = stances.order_by()
    offered = Q(level__in=OFFERED_LEVELS) | Q(slug__in=wanted_orgs or [])

    def in_levels(level: str) -> bool:
        return levels is None or level in levels

    if not stance_filters and (page is None or _offered_levels_only(levels)):
        # Every row is shown, or every row that can be is among what a form offers anyway (the
        # front page: the national parties): read them, and the offered, in one query.
        if _offered_levels_only(levels):
            rows_or_offered = offered  # the rows are offered: named ones, or of an offered level
        else:
            at_levels = named if levels is None else named.filter(level__in=levels)
            rows_or_offered = Q(pk__in=at_levels) | offered
        read = list(Organisation.objects.select_related("party").filter(rows_or_offered))
        rows = [o for o in read if in_levels(o.level) and _named(o, wanted_orgs)]
        elsewhere, total = [], len(rows)
        if page is None:
            known_org_slugs = {o.slug for o in read if _named(o, wanted_orgs)}
        else:
            known_org_slugs = {o.slug for o in rows}  # as a page of any level: named at its levels
            rows = rows[(page - 1) * per_page : page * per_page]
    else:
        if wanted_orgs is None and not stance_filters:
            # A page of a level of branches (thousands in the country): the page's ids, and how many
            # the level has, in one query rather than every organisation's (id, slug, level).
            at_levels = named if levels is None else named.filter(level__in=levels)
            in_all = at_levels.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("pk"))
            paged = at_levels.annotate(total=Subquery(in_all.values("n"))).values_list("pk", "total")
            window = list(paged[(page - 1) * per_page : page * per_page])
            matches = [pk for pk, _total in window]
            total = window[0][1] if window else at_levels.count()  # past the last page: count alone
            elsewhere, known_org_slugs = [], set()  # no organisation was named
        else:
            # Which organisations match, as (id, slug, level) rows; then the page's rows as objects.
            # With a stance filter every level is read, to count the matches at the levels not shown.
            if levels is not None and not stance_filters:
                named = named.filter(level__in=levels)
            candidates = list(named.values_list("pk", "slug", "level"))
            known_org_slugs = {slug for _pk, slug, _level in candidates}
            if stance_filters:
                # Decided across every named organisation, so the page can say how many matches the
                # levels not shown hold.
                topic_ids = {
                    f.topic: topic_by_slug[f.topic].pk for f in stance_filters if f.topic in topic_by_slug
                }
                ids = None if wanted_orgs is None else [pk for pk, _slug, _level in candidates]
                shown = _shown_values(
                    stances, published_only, ids, set(topic_ids.values())
                )  # a stance filter only

                def matches_filters(pk: int) -> bool:
                    # An unknown topic's stance is "not stated" everywhere (the view refuses such a filter).
                    return all(
                        shown.get((pk, topic_ids.get(f.topic)), NOT_STATED) == f.value for f in stance_filters
                    )

                candidates = [candidate for candidate in candidates if matches_filters(candidate[0])]
            matches = [pk for pk, _slug, level in candidates if in_levels(level)]
            elsewhere = [pk for pk, _slug, level in candidates if not in_levels(level)]
            total = len(matches)
            if page is not None:
                matches = matches[(page - 1) * per_page : page * per_page]
        read = list(Organisation.objects.select_related("party").filter(Q(pk__in=matches) | offered))
        by_id = {o.pk: o for o in read}
        rows = [by_id[pk] for pk in matches]
    organisation_by_id = {o.pk: o for o in read}
    all_organisations = [o for o in read if o.level in OFFERED_LEVELS or _named(o, wanted_orgs or [])]

    column_ids = {t.pk for t in columns}
    stances = stances.filter(organisation_id__in=[o.pk for o in rows], topic_id__in=column_ids)
    if not (rows and column_ids):
        cells = {}
    elif with_quotes:
        cells = _quoted_cells(stances, published_only, organisation_by_id)
    else:
        cells = _shown_cells(stances, published_only)
    last_published = [stance.published_at for stance in cells.values()]

    if with_source_dates and rows:  # the last query
        dates = source_dates([o.pk for o in rows])
        for organisation in rows:
            has_new_source, statements_published = dates.get(organisation.pk, (None, None))
            # Quoted (it has published statements), but none from a source after the election.
            organisation.only_old_sources = has_new_source is False
            last_published.append(statements_published)

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


def _quoted_cells(stances, published_only: bool, organisation_by_id) -> dict[tuple[int, int], Stance]:
    """The stances as model objects with their shown evidence (``shown_evidence``), each quote with
    its organisation and its source's: two queries."""
    evidence = evidence_queryset(published_only=published_only)
    cells = {}
    for stance in stances.prefetch_related(Prefetch("evidence", queryset=evidence, to_attr="shown_evidence")):
        if not is_shown(stance.value, bool(stance.shown_evidence)):
            continue
        cells[(stance.organisation_id, stance.topic_id)] = stance
    quotes = [statement for stance in cells.values() for statement in stance.shown_evidence]
    _attach_organisations(quotes, organisation_by_id)
    return cells


def _shown_cells(stances, published_only: bool) -> dict[tuple[int, int], ShownStance]:
    """The stances as what their cells show, with whether their shown evidence exists and whether
    some of it is uncertain: one query, no model objects.

    Both come from one subquery per stance over its evidence: the highest of 1 (a quote) and 2 (an
    uncertain quote), or NULL (none to show). Two EXISTS walked each stance's evidence twice (4.9
    against 3.7 ms for a page of 20 × 30 on PostgreSQL at national size); counting over a join of
    the evidence instead took ten times as long."""
    uncertain = Q(confidence=Statement.Confidence.UNCERTAIN)
    strongest = Max(Case(When(uncertain, then=Value(UNCERTAIN_QUOTE)), default=Value(QUOTE)))
    evidence = shown_evidence(published_only).order_by().values("stances")  # grouped by its stance
    shown = Subquery(evidence.annotate(shown=strongest).values("shown"))
    read = stances.annotate(shown=shown).values_list(
        "organisation_id", "topic_id", *SHOWN_STANCE_FIELDS, "shown"
    )
    cells = {}
    for organisation_id, topic_id, value, summary, summary_en, published_at, shown in read:
        if not is_shown(value, shown is not None):
            continue
        cells[(organisation_id, topic_id)] = ShownStance(
            value, summary, summary_en, published_at, shown == UNCERTAIN_QUOTE
        )
    return cells


def _attach_organisations(statements: list[Statement], organisation_by_id: dict[int, Organisation]) -> None:
    """Give each quote its organisation and its source's ("Rusomsorg — Venstre") from those in
    memory; any other (a source published by an organisation not shown) is read in one query."""
    missing = {s.organisation_id for s in statements} | {s.source.organisation_id for s in statements}
    missing -= {None, *organisation_by_id}
    if missing:
        organisation_by_id = organisation_by_id | {
            o.pk: o for o in Organisation.objects.select_related("party").filter(pk__in=missing)
        }
    for statement in statements:
        statement.organisation = organisation_by_id[statement.organisation_id]
        if statement.source.organisation_id is not None:
            statement.source.organisation = organisation_by_id[statement.source.organisation_id]


def organisations_by_shown_value(topic: Topic, levels: Iterable[str] | None) -> dict[str, list[str]]:
    """The slugs of every organisation (at ``levels``; None: all) by the value its cell on ``topic``
    shows, in display order: two queries of plain values, for a topic's overview at any size."""
    organisations = Organisation.objects.all()
    if levels is not None:
        organisations = organisations.filter(level__in=list(levels))
    shown = _shown_values(Stance.objects.published().order_by(), True, None, {topic.pk})
    groups = defaultdict(list)
    for pk, slug in organisations.values_list("pk", "slug"):
        groups[shown.get((pk, topic.pk), NOT_STATED)].append(slug)
    return groups


def offered_organisations(selected: Iterable[str] = ()):
    """What a form lists by name when no grid was read: ``OFFERED_LEVELS`` and the ``selected``."""
    return Organisation.objects.select_related("party").filter(
        Q(level__in=OFFERED_LEVELS) | Q(slug__in=list(selected))
    )


def _offered_levels_only(levels: list[str] | None) -> bool:
    """Only levels a form offers by name (a few dozen organisations in the whole country): their
    rows come with the offered organisations, so no query need pick them out first."""
    return levels is not None and set(levels) <= set(OFFERED_LEVELS)


def _named(organisation: Organisation, slugs: list[str] | None) -> bool:
    return slugs is None or organisation.slug in slugs


def _shown_values(stances, published_only: bool, organisation_ids, topic_ids) -> dict[tuple[int, int], str]:
    """(organisation id, topic id) -> the value the public is shown where it is stated, in one
    query: a stated stance without showable evidence is shown as not stated, as in the grid itself,
    and a cell not in the dict is not stated. ``organisation_ids`` None: every organisation's.
    (Reading only stated stances is the fast form: "none OR has evidence" made PostgreSQL hash
    every published statement, 1.7 s for every stance of a national-size set.)"""
    if organisation_ids is not None:
        stances = stances.filter(organisation_id__in=organisation_ids)
    shown = (
        stances.filter(topic_id__in=topic_ids)
        .exclude(value=NOT_STATED)
        .filter(Exists(shown_evidence(published_only)))
        .values_list("organisation_id", "topic_id", "value")
    )
    return {(organisation_id, topic_id): value for organisation_id, topic_id, value in shown}


def shown_evidence(published_only: bool = True):
    """The evidence of the stance in the outer query that the public may see (drafts too if not)."""
    evidence = Statement.objects.filter(stances=OuterRef("pk"))
    return evidence.published() if published_only else evidence
