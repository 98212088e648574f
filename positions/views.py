"""The public site. Function views, GET and HEAD only; htmx requests get the page's partial.

Every view that answers htmx differently is decorated with ``vary_on_headers("HX-Request")``
so caches keep the fragment and the full page apart. All reads of stances go through
``positions.grid.build_grid`` (published data only), but for the topic page's quotes, read as plain
values by ``positions.topic_quotes`` under the same rules.

Every view is a public page: ``public_page`` serves it from the shared page cache with ETag,
Last-Modified and 304s, keyed by its canonical query (``positions.filters``). Public pages read and
set no cookie, so any HTTP cache may keep them.
"""

import json
import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlencode
from wsgiref.util import FileWrapper

from django.conf import settings
from django.db.models import Count, Q
from django.http import (
    Http404,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseNotFound,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers

from parties.models import Organisation
from ruspolitikk.badrequests import bad_request
from ruspolitikk.db.streaming import bounded_stream
from ruspolitikk.pagecache import no_query, public_page, wants_fragment

from . import export
from . import search as backend
from .addresses import address
from .data_version import published_data_version
from .errors import SourceError
from .filters import (
    LEVELS,
    FilterError,
    compare_query,
    export_query,
    grid_query,
    page_query,
    parse_grid_filters,
    parse_levels,
    parse_page,
    parse_slugs,
    parse_topic_group,
    search_query,
    topic_query,
)
from .grid import (
    Cell,
    build_grid,
    offered_organisations,
    page_count,
)
from .models import Source, Statement, Topic
from .querysets import SOURCE_UNSHOWN
from .search_results import with_cells
from .templatetags.stances import level_plural, stance_label
from .topic_groups import topic_groups
from .topic_quotes import topic_cells

COMPARE_MIN, COMPARE_MAX = 2, 4
STANCE_ORDER = ["for", "partly", "against", "none"]


def page_or_fragment(request, template: str, partial: str, context: dict) -> HttpResponse:
    return render(request, f"{template}#{partial}" if wants_fragment(request) else template, context)


# --- the grid ---------------------------------------------------------------------------------


@public_page(grid_query)
@require_safe
@vary_on_headers("HX-Request")
def home(request):
    try:
        filters = parse_grid_filters(request.GET)
    except FilterError as error:
        return bad_request(request, str(error))
    # One page of the level's organisations; the panel shows the quotes.
    grid = build_grid(**filters.grid_kwargs(), with_quotes=False, page=filters.page, with_source_dates=True)
    if grid.unknown_stance_topics:
        return bad_request(
            request,
            _("Standpunktfilteret nevner et tema som ikke finnes: %(topics)s.")
            % {"topics": ", ".join(grid.unknown_stance_topics)},
        )
    if filters.page > grid.num_pages:
        return page_not_found(
            request,
            _("Tabellen har bare %(pages)s sider med dette filteret, så side %(page)s finnes ikke.")
            % {"pages": grid.num_pages, "page": filters.page},
        )
    levels = LEVELS
    shown_levels = filters.levels or levels
    # Each tab keeps the other filters; "all levels" is current when no level is left out.
    level_tabs = [
        (level_plural(level), filters.with_levels([level]), shown_levels == [level]) for level in levels
    ]
    level_tabs.append((_("Alle nivåer"), filters.with_levels(levels), filters.levels is None))
    context = {
        "grid": grid,
        "filters": filters,
        "all_organisations": grid.all_organisations,
        "levels": levels,
        "level_tabs": level_tabs,
        "checked_levels": shown_levels if filters.levels_given else [],
        "all_levels_searched": filters.levels is None,
        "levels_searched": _join([LEVEL_PHRASES[level] for level in shown_levels]),
        "elsewhere_query": filters.with_levels(levels),
        "stance_values": STANCE_ORDER,
        "export_query": filters.querystring(),
        "pages": page_links(grid.page, grid.num_pages, filters.page_query),
        "shown_range": {
            "first": number_format(grid.first_shown, force_grouping=True),
            "last": number_format(grid.last_shown, force_grouping=True),
            "total": number_format(grid.total, force_grouping=True),
        },
        # An htmx swap replaces #results only: the level tabs come along out of band.
        "fragment": wants_fragment(request),
    }
    return page_or_fragment(request, "positions/home.html", "results", context)


def page_not_found(request, message: str) -> HttpResponseNotFound:
    """A 404 with the site's page for it, saying why."""
    return HttpResponseNotFound(render_to_string("404.html", {"message": message}, request=request))


def count_pages(request, page: int, total: int, per_page: int, message: str):
    """(number of pages of ``total`` items, ``per_page`` a page; a 404 saying why if ``page`` is past
    the last, else None). ``message`` names ``%(pages)s`` and ``%(page)s``."""
    pages = page_count(total, per_page)
    missing = page_not_found(request, message % {"pages": pages, "page": page}) if page > pages else None
    return pages, missing


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: a gap ("…")
    query: str = ""
    current: bool = False


def page_links(page: int, num_pages: int, page_query, *, around: int = 2) -> dict:
    """The pagination's links: previous, next and the page numbers, the first, the last and
    ``around`` pages either side of the current one, with gaps between. Empty for one page."""
    if num_pages <= 1:
        return {}
    shown = sorted({1, num_pages, *range(max(1, page - around), min(num_pages, page + around) + 1)})
    numbers, previous = [], 0
    for number in shown:
        if number > previous + 1:
            numbers.append(PageLink(None))
        numbers.append(PageLink(number, page_query(number), number == page))
        previous = number
    return {
        "numbers": numbers,
        "previous": PageLink(page - 1, page_query(page - 1)) if page > 1 else None,
        "next": PageLink(page + 1, page_query(page + 1)) if page < num_pages else None,
    }


LEVEL_PHRASES = {
    "national": pgettext_lazy("levels searched", "nasjonale partier"),
    "county": pgettext_lazy("levels searched", "fylkeslag"),
    "municipal": pgettext_lazy("levels searched", "lokallag"),
    "youth": pgettext_lazy("levels searched", "ungdomspartier"),
}


def _join(words: list[str]) -> str:
    """«a», «a og b», «a, b og c»."""
    words = [str(word) for word in words]
    if len(words) == 1:
        return words[0]
    return _("%(first)s og %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


@public_page(no_query)
@require_safe
@vary_on_headers("HX-Request")
def cell(request, organisation, topic):
    grid = build_grid(organisations=[organisation], topics=[topic], levels=None)
    if not grid.organisations or not grid.topics:
        raise Http404("Fant ikke organisasjonen eller temaet.")
    organisation, topic = grid.organisations[0], grid.topics[0]
    context = {"organisation": organisation, "topic": topic, "cell": grid.cell(organisation, topic)}
    return page_or_fragment(request, "positions/cell.html", "evidence", context)


# --- organisation, topic and source pages -----------------------------------------------------


ORGANISATION_QUOTES_PER_CELL = 3  # quotes under each topic of an organisation page; the cell has all
ORGANISATION_SOURCES = 10  # the newest sources on an organisation page; its source list has all
ORGANISATION_BRANCHES = 20  # branches named on a national party's page; its branch list has all
SOURCES_PER_PAGE = 50
BRANCHES_PER_PAGE = 100


def organisation_sources(organisation: Organisation):
    """The sources an organisation published or is quoted from, newest first (without their text),
    and how many there are: their ids first, in one query of two index reads. Asked in one query as
    "published by it OR quoted from", PostgreSQL scanned every source (9,162 at national size,
    2 ms), once to count them and again for the newest."""
    quoted_from = (
        Statement.objects.published().filter(organisation=organisation).values_list("source_id", flat=True)
    )
    published = Source.objects.filter(organisation=organisation).values_list("pk", flat=True)
    ids = list(quoted_from.order_by().union(published.order_by()).order_by())  # each id once
    sources = (
        Source.objects.filter(pk__in=ids)
        .select_related("organisation")
        .defer(*SOURCE_UNSHOWN)
        .order_by("-date_start", "title", "pk")
    )
    return sources, len(ids)


def organisation_branches(organisation: Organisation):
    """A national party's branches and youth wing, in the party's order (none for a branch), and how
    many there are."""
    if not organisation.is_national:
        return Organisation.objects.none(), 0
    branches = Organisation.objects.filter(party_id=organisation.party_id).exclude(pk=organisation.pk)
    return branches, branches.count()


@public_page(no_query)
@require_safe
def organisation_detail(request, organisation):
    """An organisation's stances and sources, bounded whatever the data: at most
    ``ORGANISATION_QUOTES_PER_CELL`` quotes a topic, the ``ORGANISATION_SOURCES`` newest sources and
    ``ORGANISATION_BRANCHES`` branches, each list saying how many more there are and linking to them."""
    grid = build_grid(organisations=[organisation], levels=None, with_source_dates=True)
    if not grid.organisations:
        raise Http404("Fant ikke organisasjonen.")
    organisation = grid.organisations[0]
    sources, source_count = organisation_sources(organisation)
    branches, branch_count = organisation_branches(organisation)
    parent = None
    if not organisation.is_national:
        parent = Organisation.objects.filter(party_id=organisation.party_id, level="national").first()
    return render(
        request,
        "positions/organisation.html",
        {
            "organisation": organisation,
            "cells": grid.rows()[0][1],
            "quotes_per_cell": ORGANISATION_QUOTES_PER_CELL,
            "quote_slice": f":{ORGANISATION_QUOTES_PER_CELL}",
            # Read whatever the count (a fixed number of queries: the same page at every size).
            "sources": list(sources[:ORGANISATION_SOURCES]),
            "sources_left_out": max(0, source_count - ORGANISATION_SOURCES),
            "source_count": source_count,
            "branches": list(branches[:ORGANISATION_BRANCHES]),
            "branches_left_out": max(0, branch_count - ORGANISATION_BRANCHES),
            "branch_count": branch_count,
            "parent": parent,
        },
    )


def _organisation_list(request, organisation, *, rows, per_page: int, kind: str):
    """One page of an organisation's sources or branches (``kind``), ``per_page`` a page: ``rows``
    gives them and how many there are."""
    try:
        page = parse_page(request.GET)
    except FilterError as error:
        get_object_or_404(Organisation, slug=organisation)  # an unknown organisation is a 404 first
        return bad_request(request, str(error))
    organisation = get_object_or_404(Organisation.objects.select_related("party"), slug=organisation)
    rows, total = rows(organisation)
    message = _("Listen har bare %(pages)s sider, så side %(page)s finnes ikke.")
    num_pages, missing = count_pages(request, page, total, per_page, message)
    if missing:
        return missing
    first = (page - 1) * per_page
    shown = list(rows[first : first + per_page])
    return page_or_fragment(
        request,
        "positions/organisation_list.html",
        "list-page",
        {
            "organisation": organisation,
            "kind": kind,
            "rows": shown,
            "total": total,
            "pages": page_links(page, num_pages, lambda number: f"side={number}" if number > 1 else ""),
            "shown_range": {
                "first": number_format(first + 1 if shown else 0, force_grouping=True),
                "last": number_format(first + len(shown), force_grouping=True),
                "total": number_format(total, force_grouping=True),
            },
        },
    )


@public_page(page_query)
@require_safe
@vary_on_headers("HX-Request")
def organisation_sources_list(request, organisation):
    """Every source of an organisation, newest first, ``SOURCES_PER_PAGE`` a page."""
    return _organisation_list(
        request, organisation, rows=organisation_sources, per_page=SOURCES_PER_PAGE, kind="sources"
    )


@public_page(page_query)
@require_safe
@vary_on_headers("HX-Request")
def organisation_branches_list(request, organisation):
    """Every branch and the youth wing of a national party, ``BRANCHES_PER_PAGE`` a page."""
    return _organisation_list(
        request, organisation, rows=organisation_branches, per_page=BRANCHES_PER_PAGE, kind="branches"
    )


@dataclass
class Bar:
    """One bar of the topic page's SVG, in whole user units (no locale-formatted decimals)."""

    value: str
    count: int
    width: int
    y: int
    x: int = 110

    @property
    def label_x(self) -> int:
        return self.x + self.width + 8


def distribution(counts: dict[str, int], *, width: int = 160) -> list[Bar]:
    """Bars for the server-rendered SVG: one row per stance value, widths as share of the most.

    The SVG is 310 units wide (label 110, bar up to 160, count) so that on a 390 px phone it is drawn
    at about its own size and its 14-unit labels stay legible, not shrunk to 10 px."""
    counts = {value: counts.get(value, 0) for value in STANCE_ORDER}
    most = max(counts.values()) or 1
    return [
        Bar(value=value, count=count, width=round(width * count / most), y=index * 28)
        for index, (value, count) in enumerate(counts.items())
    ]


TOPIC_GROUP_PER_PAGE = 10  # organisations a page in each stance group of a topic page (with their quotes)


@dataclass
class StanceGroup:
    """One stance group of a topic page: its value, how many hold it, and one page of their cells."""

    value: str
    count: int
    cells: list[Cell]
    pages: dict

    @property
    def more(self) -> int:
        """How many hold this stance but are not on the page shown."""
        return self.count - len(self.cells)


@public_page(topic_query)
@require_safe
@vary_on_headers("HX-Request")
def topic_detail(request, topic):
    try:
        levels = parse_levels(request.GET) or None
        paged_value, page = parse_topic_group(request.GET)
    except FilterError as error:
        get_object_or_404(Topic, slug=topic)  # an unknown topic is a 404 before it is a bad filter
        return bad_request(request, str(error))
    topic = get_object_or_404(Topic, slug=topic)
    # Every organisation's shown value as plain values; then quotes for the shown pages only.
    members = topic_groups(topic, levels)
    if paged_value and page > page_count(len(members[paged_value]), TOPIC_GROUP_PER_PAGE):
        return page_not_found(
            request,
            _("Gruppen «%(stance)s» har ikke så mange sider, så side %(page)s finnes ikke.")
            % {"stance": stance_label(paged_value), "page": page},
        )
    level_pairs = [("niva", level) for level in levels or []]

    def group_page(value: str, number: int) -> str:
        return urlencode(level_pairs + [("stilling", value)] + ([("side", number)] if number > 1 else []))

    pages = {value: page if value == paged_value else 1 for value in STANCE_ORDER}
    shown = {
        value: members[value][(pages[value] - 1) * TOPIC_GROUP_PER_PAGE : pages[value] * TOPIC_GROUP_PER_PAGE]
        for value in STANCE_ORDER
    }
    # The shown organisations' cells with their quotes, as plain values (``positions.topic_quotes``).
    cells = topic_cells(topic, [slug for value in STANCE_ORDER for slug in shown[value]])
    groups = [
        StanceGroup(
            value=value,
            count=len(members[value]),
            cells=[cells[slug] for slug in shown[value]],
            pages=page_links(
                pages[value],
                page_count(len(members[value]), TOPIC_GROUP_PER_PAGE),
                lambda number, value=value: group_page(value, number),
            ),
        )
        for value in STANCE_ORDER
    ]
    context = {
        "topic": topic,
        "groups": groups,
        "bars": distribution({value: len(members[value]) for value in STANCE_ORDER}),
        "total": sum(len(slugs) for slugs in members.values()),
        "levels": levels,
        "topic_url": address("positions:topic", topic.slug),
        "other_topics": other_topics(topic),
    }
    if paged_value and wants_fragment(request):
        context["group"] = next(group for group in groups if group.value == paged_value)
        return render(request, "positions/topic.html#stance-group", context)
    return render(request, "positions/topic.html", context)


def other_topics(topic: Topic) -> list[tuple[str, str]]:
    """(address, name in the page's language) of every topic but ``topic``, in order: the topic
    page's links to the others, addressed by ``positions.addresses`` (29 ``{% url %}`` tags were
    two thirds of its calls to ``reverse()``)."""
    english = (get_language() or "").startswith("en")
    return [
        (address("positions:topic", slug), (english and name_en) or name)
        for slug, name, name_en in Topic.objects.exclude(pk=topic.pk).values_list("slug", "name", "name_en")
    ]


@dataclass
class Segment:
    text: str
    statement: Statement | None = None
    new_speaker: bool = False


def source_segments(source: Source, statements: list[Statement], start: int = 0, end: int | None = None):
    """The source text from ``start`` to ``end`` (default: all of it) cut into plain runs and
    statement spans, which together give that stretch back verbatim."""
    end = len(source.text) if end is None else end
    segments, position, speaker = [], start, None
    for statement in sorted(statements, key=lambda s: s.start):
        if statement.start < position or statement.end > end:
            continue  # overlapping or out of range: leave the text unmarked rather than garble it
        if statement.start > position:
            segments.append(Segment(source.text[position : statement.start]))
        # A label goes where the attributed speaker (or the doubt about it) changes.
        who = (statement.organisation_id, statement.confidence, statement.attribution_note)
        new_speaker, speaker = who != speaker, who
        segments.append(Segment(source.text[statement.start : statement.end], statement, new_speaker))
        position = statement.end
    if position < end:
        segments.append(Segment(source.text[position:end]))
    return segments


SOURCE_STATEMENTS_PER_PAGE = 50


@public_page(page_query)
@require_safe
@vary_on_headers("HX-Request")
def source_detail(request, source):
    try:
        page = parse_page(request.GET)
    except FilterError as error:
        get_object_or_404(Source, slug=source)  # an unknown source is a 404 before it is a bad page
        return bad_request(request, str(error))
    source = get_object_or_404(Source.objects.select_related("organisation__party"), slug=source)
    published = Statement.objects.published().filter(source=source)
    uncertain = Q(confidence=Statement.Confidence.UNCERTAIN)
    summary = published.aggregate(
        count=Count("pk"),
        uncertain=Count("pk", filter=uncertain),
        speakers=Count("organisation", distinct=True),
        others=Count("pk", filter=~Q(organisation=source.organisation_id)),
    )
    message = _("Teksten har bare %(pages)s sider, så side %(page)s finnes ikke.")
    num_pages, missing = count_pages(request, page, summary["count"], SOURCE_STATEMENTS_PER_PAGE, message)
    if missing:
        return missing
    # One page of statements, and the next page's first, where this page's stretch of text ends.
    first = (page - 1) * SOURCE_STATEMENTS_PER_PAGE
    statements = list(
        published.select_related("organisation__party")
        .prefetch_related("topics")
        .order_by("start", "pk")[first : first + SOURCE_STATEMENTS_PER_PAGE + 1]
    )
    start = statements[0].start if page > 1 else 0
    end = statements.pop().start if len(statements) > SOURCE_STATEMENTS_PER_PAGE else None
    # Why the uncertain passages are placed here, each reason once (the note the source's own note
    # points to), and whether the whole text is of uncertain authorship.
    notes = published.filter(uncertain).order_by("start").values_list("attribution_note", flat=True)
    return page_or_fragment(
        request,
        "positions/source.html",
        "source-page",
        {
            "source": source,
            "segments": source_segments(source, statements, start, end),
            "statement_count": summary["count"],
            "uncertain_count": summary["uncertain"],
            "uncertain_notes": list(dict.fromkeys(notes)) if summary["uncertain"] else [],
            "all_uncertain": bool(summary["count"]) and summary["uncertain"] == summary["count"],
            "several_speakers": summary["speakers"] > 1 or summary["others"] > 0,
            "pages": page_links(page, num_pages, lambda number: f"side={number}" if number > 1 else ""),
        },
    )


# --- compare ----------------------------------------------------------------------------------


def agreement(values: list[str]) -> str:
    """How the stances of one topic relate: ``disagree`` when two stated positions differ (for,
    partly and against are all different positions), ``agree`` when everyone states the same one,
    ``some_silent`` when the stated ones agree but some say nothing, ``all_silent`` when no one
    states a position. Saying nothing is never a disagreement, and two silences are no agreement."""
    stated = {value for value in values if value != "none"}
    if len(stated) > 1:
        return "disagree"
    if not stated:
        return "all_silent"
    return "agree" if len(stated) == len(set(values)) else "some_silent"


@public_page(compare_query)
@require_safe
def compare(request):
    try:
        slugs = parse_slugs(request.GET, "parti")
    except FilterError as error:
        return bad_request(request, str(error))
    too_many = len(slugs) > COMPARE_MAX
    grid = build_grid(organisations=slugs, levels=None) if slugs and not too_many else None
    organisations = grid.organisations if grid else []
    all_organisations = grid.all_organisations if grid else offered_organisations(slugs)
    by_slug = {o.slug: o for o in organisations}
    organisations = [by_slug[s] for s in slugs if s in by_slug]  # in the order asked for
    rows = []
    if len(organisations) >= COMPARE_MIN:
        for topic in grid.topics:
            cells = [grid.cell(o, topic) for o in organisations]
            rows.append((topic, cells, agreement([c.value for c in cells])))
    kinds = [kind for _topic, _cells, kind in rows]
    response = render(
        request,
        "positions/compare.html",
        {
            "organisations": organisations,
            "rows": rows,
            "disagree": kinds.count("disagree"),
            "agree": kinds.count("agree"),
            "silent": kinds.count("some_silent") + kinds.count("all_silent"),
            "unknown": grid.unknown_organisations if grid else [],
            "chosen": slugs,
            "all_organisations": all_organisations,
            # Too many is answered on the compare page itself, the selection kept, with status 400.
            "too_many": too_many,
            "too_few": len(organisations) < COMPARE_MIN,
            "min": COMPARE_MIN,
            "max": COMPARE_MAX,
        },
    )
    if too_many:
        response.status_code = 400
    return response


# --- search -----------------------------------------------------------------------------------


def is_too_short(query: str) -> bool:
    """No word of two letters or more: a search for "a" would find every "a" there is."""
    return bool(query) and not any(len(word) > 1 for word in re.findall(r"\w+", query))


SEARCH_PAGE_SIZE = 20


@public_page(search_query)
@require_safe
@vary_on_headers("HX-Request")
def search(request):
    query = request.GET.get("q", "").strip()
    try:
        organisations = parse_slugs(request.GET, "parti") or None
        topics = parse_slugs(request.GET, "tema") or None
        levels = parse_levels(request.GET) or None
    except FilterError as error:
        return bad_request(request, str(error))
    hits, total, more = [], 0, False
    too_short = is_too_short(query)
    if query and not too_short:
        try:
            page = parse_page(request.GET)
            found = backend.search_page(
                query,
                organisations=organisations,
                topics=topics,
                levels=levels,
                limit=SEARCH_PAGE_SIZE,
                offset=(page - 1) * SEARCH_PAGE_SIZE,
            )
            hits, total, more = found.hits, found.total, found.more
        except FilterError as error:
            return bad_request(request, str(error))
        except backend.SearchQueryError as exc:
            return bad_request(request, str(exc) or _("Søket kunne ikke forstås."))
        num_pages = -(-total // SEARCH_PAGE_SIZE)
        if page > max(num_pages, 1):
            return page_not_found(
                request,
                _("Søket har bare %(pages)s sider med treff, så side %(page)s finnes ikke.")
                % {"pages": num_pages, "page": page},
            )
    results = with_cells(hits)
    if wants_fragment(request):  # the fragment is the hits alone, without the form
        all_organisations, all_topics = [], []
    else:
        all_organisations, all_topics = offered_organisations(organisations or []), Topic.objects.all()
    context = {
        "query": query,
        "too_short": too_short,
        "results": results,
        "chosen_organisations": organisations or [],
        "chosen_topics": topics or [],
        "chosen_levels": levels or [],
        "all_organisations": all_organisations,
        "all_topics": all_topics,
        "levels": LEVELS,
    }
    if hits:
        first = (page - 1) * SEARCH_PAGE_SIZE + 1
        without_page = QueryDict(search_query(request.GET), mutable=True)
        without_page.pop("side", None)
        filters_query = without_page.urlencode()
        context["pages"] = page_links(
            page, num_pages, lambda number: filters_query + (f"&side={number}" if number > 1 else "")
        )
        context["shown_range"] = {
            "first": number_format(first, force_grouping=True),
            "last": number_format(first + len(hits) - 1, force_grouping=True),
            "total": number_format(total, force_grouping=True),
        }
        context["more_than_ranked"] = more  # "over 1 000 treff": only the first 1,000 are ranked
    return page_or_fragment(request, "positions/search.html", "hits", context)


# --- open data --------------------------------------------------------------------------------


EXPORT_CHUNK = 200  # organisations read at a time by a streamed export


def _export_grids(request):
    """The filtered grid, ``EXPORT_CHUNK`` organisations at a time, and the filters asked for.

    The first chunk is read here, so a bad filter is answered before the body starts; the rest are
    read as the body streams, so an export of any size holds one chunk in memory, never the whole.
    """
    filters = parse_grid_filters(request.GET)
    grid_kwargs = filters.grid_kwargs()
    first = build_grid(**grid_kwargs, page=1, per_page=EXPORT_CHUNK)
    if first.unknown_stance_topics:
        raise FilterError(
            _("Standpunktfilteret nevner et tema som ikke finnes: %(topics)s.")
            % {"topics": ", ".join(first.unknown_stance_topics)},
            parameter="standpunkt",
        )

    def cells():
        yield from first
        for page in range(2, first.num_pages + 1):
            yield from build_grid(**grid_kwargs, page=page, per_page=EXPORT_CHUNK)

    return cells(), export.applied_filters(grid_kwargs, filters.querystring())


def _export(request, *, content_type: str, render_rows, filename: str, disposition: str):
    """``render_rows(rows, filters)`` gives the body in pieces; ``filters`` say what was asked for.
    The answer is a ``StreamingHttpResponse``: the rows are read, written and sent a chunk at a time."""
    try:
        cells, filters = _export_grids(request)
    except FilterError as error:
        # Plain text is not escaped, so the message names the parameter but never echoes its value.
        message = _("Filteret «%(name)s» i adressen er ikke gyldig. Se %(url)s for filtrene og verdiene.") % {
            "name": error.parameter,
            "url": request.build_absolute_uri(reverse("positions:about") + "#apne-data"),
        }
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    rows = export.iter_export_rows(cells, base_url=request.build_absolute_uri("/")[:-1])
    # The later chunks are read as the body streams, after the request's deadline has ended.
    body = bounded_stream(render_rows(rows, filters), label=request.path)
    response = StreamingHttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@public_page(export_query)
@require_safe
def export_csv(request):
    """The current grid's rows as CSV, one row per quote (columns: ``export.CSV_COLUMNS``)."""
    return _export(
        request,
        content_type="text/csv; charset=utf-8",
        render_rows=lambda rows, _filters: export.iter_csv(rows),
        filename="ruspolitikk.csv",
        disposition="attachment",
    )


def _xlsx_file(rows):
    """The workbook in a temporary file (deleted when closed), sent from disk in blocks."""
    file = tempfile.TemporaryFile()  # noqa: SIM115 -- the response closes it when sent
    export.write_xlsx(rows, file)
    file.seek(0)
    return FileWrapper(file, XLSX_BLOCK)


XLSX_BLOCK = 64 * 1024


@public_page(export_query)
@require_safe
def export_xlsx(request):
    """The CSV's rows and columns as an Excel workbook (typed cells, header frozen, filters on)."""
    return _export(
        request,
        content_type=export.XLSX_CONTENT_TYPE,
        render_rows=lambda rows, _filters: _xlsx_file(rows),
        filename="ruspolitikk.xlsx",
        disposition="attachment",
    )


@public_page(export_query)
@require_safe
def export_json(request):
    """The current grid's rows as JSON, one object per cell with its evidence list."""
    return _export(
        request,
        content_type="application/json; charset=utf-8",
        render_rows=lambda rows, filters: export.iter_json(rows, filters=filters, generated=timezone.now()),
        filename="ruspolitikk.json",
        disposition="inline",
    )


@public_page(no_query)
@require_safe
def data_package(request):
    """The exports described as a Frictionless Data Package: files, columns, licence, sources."""
    package = export.data_package(
        base_url=request.build_absolute_uri("/")[:-1],
        version=published_data_version(),
        sources=Source.objects.all(),
        generated=timezone.now(),
    )
    return HttpResponse(
        json.dumps(package, ensure_ascii=False, indent=2) + "\n",
        content_type="application/json; charset=utf-8",
    )


@public_page(no_query)
@require_safe
def about(request):
    return render(
        request,
        "positions/about.html",
        {
            "stance_values": STANCE_ORDER,
            "csv_columns": [(column, export.COLUMN_HELP[column]) for column in export.CSV_COLUMNS],
            "levels": LEVELS,
            "contact_email": settings.CONTACT_EMAIL,
            "search_max_ranked": number_format(backend.MAX_RANKED, force_grouping=True),
        },
    )


@public_page(no_query)
@require_safe
def method(request):
    """The codebook and the coders' agreement (files in fixtures/, read by positions.codebook and
    positions.agreement) with the topics as the site shows them."""
    from . import agreement, codebook

    rules = codebook.read_codebook()
    topics = list(Topic.objects.all())
    try:
        report = agreement.compute()
    except SourceError:  # codings that do not match: no figures rather than wrong ones
        report = None
    names = {topic.slug: topic.name_local for topic in topics}
    # An anchor's organisation by name, and the language its quote is in (its sources' language).
    anchor_organisations = defaultdict(lambda: ("", "nb"))
    for organisation in Organisation.objects.prefetch_related("sources"):
        languages = {source.language for source in organisation.sources.all()}
        anchor_organisations[organisation.slug] = (
            organisation.name,
            languages.pop() if len(languages) == 1 else "nb",
        )
    rows = agreement.ordered(report, list(names)) if report else []
    return render(
        request,
        "positions/method.html",
        {
            "rules": rules.rules,
            "codebook_topics": [
                (
                    topic,
                    entry,
                    [(anchor, *anchor_organisations[anchor.organisation]) for anchor in entry.anchors],
                )
                if entry
                else (topic, None, [])
                for topic in topics
                for entry in [rules.topics.get(topic.slug)]
            ],
            "agreement": report,
            "agreement_rows": [(names.get(row.label, row.label), row) for row in rows],
        },
    )
