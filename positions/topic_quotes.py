"""The topic page's shown cells and their quotes, read as plain values.

A topic page shows one page of each stance group (``TOPIC_GROUP_PER_PAGE`` organisations each, 40 at
national size) with every quote of each: about 60 quotes, each with its source and the organisations
of both. Read through ``build_grid`` that was some 300 model objects a request (stances, statements,
sources, the organisations a filter form offers, every topic with its group), a third of the page's
Python at national size, for a page that uses a handful of fields of each. Here the same rows are
read as tuples into small frozen dataclasses that carry only what the page shows (``Quote`` is
what the ``quote`` tag reads of a ``Statement``), in the same number of queries as the grid's read:
the page's organisations, their stances on the topic, and the stances' shown quotes with their
sources and both organisations joined (so no query more when a source is another organisation's).

The public rules are the grid's (``positions.grid``): published stances only, as evidence only
published statements (``Statement.objects.published()``, the rule ``shown_evidence`` states), a
stated stance with no shown quote shown as not stated, quotes in source order.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from parties.models import Organisation

from .addresses import address_parts
from .grid import Cell, is_shown
from .models import Quoted, Stance, Statement, Topic, format_date_label, in_language, predates_election


@dataclass(frozen=True, slots=True)
class QuoteOrganisation:
    """What a topic page shows of an organisation: a stance's or a quote's, or a source's publisher."""

    pk: int
    slug: str
    name: str
    level: str


@dataclass(frozen=True, slots=True)
class QuoteSource:
    """What a quote shows of its source (``Source``'s date label and election mark, worked out once)."""

    slug: str
    title: str
    url: str
    kind: str
    language: str
    date_label: str
    predates_election: bool
    organisation: QuoteOrganisation


@dataclass(frozen=True, slots=True)
class Quote(Quoted):
    """A shown statement as the ``quote`` tag reads it (``Statement``'s fields of the same names)."""

    pk: int
    text: str
    confidence: str
    attribution_note: str
    organisation: QuoteOrganisation
    source: QuoteSource


@dataclass(frozen=True, slots=True)
class QuotedStance:
    """A published stance with its shown quotes (``shown_evidence``, as ``build_grid`` gives a Stance)."""

    value: str
    summary: str
    summary_en: str
    shown_evidence: list[Quote]

    @property
    def summary_local(self) -> str:
        return in_language(self, "summary")


ORGANISATION_FIELDS = ("pk", "slug", "name", "level")  # ``QuoteOrganisation``'s
# The statement's fields, its source's and both organisations', in ``Quote``'s order.
QUOTE_FIELDS = (
    "stances",  # the stance quoting it: the join the filter made
    "pk",
    "text",
    "confidence",
    "attribution_note",
    "organisation_id",
    "organisation__slug",
    "organisation__name",
    "organisation__level",
    "source__slug",
    "source__title",
    "source__url",
    "source__kind",
    "source__language",
    "source__date_precision",
    "source__date_start",
    "source__date_end",
    "source__organisation_id",
    "source__organisation__slug",
    "source__organisation__name",
    "source__organisation__level",
)


def topic_cells(topic: Topic, slugs: Sequence[str]) -> dict[str, Cell]:
    """The cells of ``topic`` for the organisations named by ``slugs`` (unknown slugs left out), by
    slug, each stance a ``QuotedStance`` and each organisation a ``QuoteOrganisation``: three queries
    of plain values, none when ``slugs`` is empty."""
    if not slugs:
        return {}
    read = Organisation.objects.filter(slug__in=list(slugs)).order_by().values_list(*ORGANISATION_FIELDS)
    organisations = {pk: QuoteOrganisation(pk, slug, name, level) for pk, slug, name, level in read}
    stance_rows = list(
        Stance.objects.published()
        .filter(organisation_id__in=list(organisations), topic_id=topic.pk)
        .order_by()  # one a cell: they land in a dict
        .values_list("pk", "organisation_id", "value", "summary", "summary_en")
    )
    quotes = _quotes([pk for pk, *_rest in stance_rows], organisations)
    by_organisation = {}
    for pk, organisation_id, value, summary, summary_en in stance_rows:
        shown = quotes.get(pk, [])
        if not is_shown(value, bool(shown)):
            continue
        by_organisation[organisation_id] = QuotedStance(value, summary, summary_en, shown)
    before, between, after = address_parts("positions:cell", 2)
    return {
        organisation.slug: Cell(
            organisation,
            topic,
            by_organisation.get(pk),
            f"{before}{organisation.slug}{between}{topic.slug}{after}",
        )
        for pk, organisation in organisations.items()
    }


def _quotes(stance_ids: list[int], organisations: dict[int, QuoteOrganisation]) -> dict[int, list[Quote]]:
    """Each stance's shown quotes, in source order (the grid's ``evidence_queryset``), by stance id."""
    if not stance_ids:
        return {}
    rows = (
        Statement.objects.published()
        .filter(stances__in=stance_ids)
        .order_by("source__date_start", "source_id", "order")
        .values_list(*QUOTE_FIELDS)
    )
    organisations = dict(organisations)  # and the others met, each made once
    sources: dict[str, QuoteSource] = {}  # by slug: a source quoted twice is made once
    quotes: dict[int, list[Quote]] = {}
    for (
        stance_id,
        pk,
        text,
        confidence,
        note,
        organisation_id,
        organisation_slug,
        organisation_name,
        organisation_level,
        *source,
    ) in rows:
        organisation = organisations.get(organisation_id)
        if organisation is None:
            organisation = organisations[organisation_id] = QuoteOrganisation(
                organisation_id, organisation_slug, organisation_name, organisation_level
            )
        quote_source = sources.get(source[0])
        if quote_source is None:
            quote_source = sources[source[0]] = _source(source, organisations)
        quotes.setdefault(stance_id, []).append(Quote(pk, text, confidence, note, organisation, quote_source))
    return quotes


def _source(row: list, organisations: dict[int, QuoteOrganisation]) -> QuoteSource:
    slug, title, url, kind, language, precision, start, end, *publisher = row
    owner = organisations.get(publisher[0])
    if owner is None:
        owner = organisations[publisher[0]] = QuoteOrganisation(*publisher)
    return QuoteSource(
        slug,
        title,
        url,
        kind,
        language,
        format_date_label(precision, start, end),
        predates_election(precision, start, end),
        owner,
    )
