"""Reading the public pages' GET parameters into typed filters.

The same parameters mean the same thing on every page, so every view is a shareable link:

- ``parti=<organisation slug>`` (repeatable): which organisations to show;
- ``tema=<topic slug>`` (repeatable): which topics to show;
- ``standpunkt=<topic slug>:<for|partly|against|none>`` (repeatable, AND-ed);
- ``niva=<national|county|municipal|youth>`` (repeatable). Default: national only, unless
  organisations are named or a stance is filtered on: then every level, so that a stance filter
  finds its answer wherever it is (the page says which levels it searched);
- ``side=<n>``: which page of a paginated list (the grid: 50 organisations a page). Default 1,
  which is no parameter; the exports ignore it (they export the whole filtered set);
- ``stilling=<for|partly|against|none>`` (topic page): the stance group ``side`` pages through.

A malformed value raises ``FilterError`` (the view answers 400 with its message). A well-formed
but unknown slug is harmless: the grid reports it and the page shows a notice.

Equal questions are one page: values are trimmed, lower-cased, deduplicated and, where their order
does not change the page, sorted; a level filter equal to the default is no filter, and every
level is the same as no level filter. The
``*_query`` functions give each page's canonical query string, which the page cache keys on
(``ruspolitikk.pagecache.public_page``) and the page links with.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.http import QueryDict
from django.utils.translation import gettext as _

from parties.models import Organisation

from .grid import StanceFilter
from .models import Stance

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
LEVELS = [choice.value for choice in Organisation.Level]
VALUES = [choice.value for choice in Stance.Value]
MAX_VALUES = 50  # per parameter; more is not a human's link
MAX_PAGE = 100_000  # far past any real list; a bigger number is not a page we could have linked to


class FilterError(ValueError):
    """A query parameter we cannot understand. ``str()`` is a plain-language message for the page
    (it may quote the value, which the HTML pages escape); ``parameter`` names the parameter."""

    def __init__(self, message: str, *, parameter: str):
        super().__init__(message)
        self.parameter = parameter


@dataclass(frozen=True)
class GridFilters:
    organisations: list[str] | None = None
    topics: list[str] | None = None
    levels: list[str] | None = field(default_factory=lambda: ["national"])
    stance_filters: list[StanceFilter] = field(default_factory=list)
    levels_given: bool = False
    page: int = 1

    def grid_kwargs(self) -> dict:
        return {
            "organisations": self.organisations,
            "topics": self.topics,
            "levels": self.levels,
            "stance_filters": self.stance_filters,
        }

    def stance_for(self, topic_slug: str) -> str:
        """The stance value filtered on for this topic, or ''."""
        return next((f.value for f in self.stance_filters if f.topic == topic_slug), "")

    def _pairs(self, levels: list[str]) -> list[tuple[str, str]]:
        pairs = [("parti", slug) for slug in self.organisations or []]
        pairs += [("tema", slug) for slug in self.topics or []]
        pairs += [("standpunkt", f"{f.topic}:{f.value}") for f in self.stance_filters]
        return pairs + [("niva", level) for level in levels]

    def querystring(self) -> str:
        """The filters as a canonical, clean query string, without the page (for export links)."""
        return urlencode(self._pairs((self.levels or LEVELS) if self.levels_given else []))

    def page_query(self, page: int) -> str:
        """The canonical query string of these filters on ``page`` (a page link)."""
        filters = self.querystring()
        if page == 1:
            return filters
        return f"{filters}&side={page}" if filters else f"side={page}"

    def with_levels(self, levels: list[str]) -> str:
        """The canonical query string of these filters with ``levels`` instead (a level tab's link)."""
        return grid_query(QueryDict(urlencode(self._pairs(levels))))

    @property
    def is_default(self) -> bool:
        return not (self.organisations or self.topics or self.stance_filters or self.levels_given)


def _values(query: QueryDict, name: str) -> list[str]:
    """The non-empty values of a repeatable parameter, trimmed, lower-cased, in order, without repeats."""
    values = [v.strip().lower() for v in query.getlist(name) if v.strip()]
    if len(values) > MAX_VALUES:
        raise FilterError(_("For mange verdier for «%(name)s».") % {"name": name}, parameter=name)
    return list(dict.fromkeys(values))


def parse_slugs(query: QueryDict, name: str) -> list[str]:
    values = _values(query, name)
    for value in values:
        if not SLUG.match(value):
            raise FilterError(
                _(
                    "«%(value)s» er ikke en gyldig verdi for «%(name)s». "
                    "Bruk små bokstaver, tall og bindestrek."
                )
                % {"value": value, "name": name},
                parameter=name,
            )
    return values


def parse_levels(query: QueryDict) -> list[str]:
    """The levels asked for, in the levels' own order (national first)."""
    values = _values(query, "niva")
    for value in values:
        if value not in LEVELS:
            raise FilterError(
                _("Nivået «%(value)s» finnes ikke. Gyldige nivåer er: %(choices)s.")
                % {"value": value, "choices": ", ".join(LEVELS)},
                parameter="niva",
            )
    return sorted(values, key=LEVELS.index)


def parse_page(query: QueryDict) -> int:
    """``side``: a whole number from 1; missing or empty is page 1."""
    value = query.get("side", "").strip()
    if not value:
        return 1
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= MAX_PAGE:
        message = _("Sidetallet «%(value)s» er ikke gyldig. Bruk et helt tall fra 1 og oppover.")
        raise FilterError(message % {"value": value}, parameter="side")
    return int(value)


def parse_topic_group(query: QueryDict) -> tuple[str | None, int]:
    """A topic page's ``stilling=<for|partly|against|none>`` (the stance group being paged through,
    or None) and that group's ``side``. A page number needs a group."""
    values = _values(query, "stilling")
    if len(values) > 1 or any(value not in VALUES for value in values):
        message = _("«%(value)s» er ikke en gyldig stilling. Bruk én av: %(choices)s.")
        raise FilterError(
            message % {"value": ", ".join(values), "choices": ", ".join(VALUES)}, parameter="stilling"
        )
    page = parse_page(query)
    if page > 1 and not values:
        raise FilterError(
            _("Sidetallet gjelder én gruppe: oppgi også stilling (for eksempel «stilling=for»)."),
            parameter="side",
        )
    return (values[0] if values else None), page


def topic_pair(value: str, choices) -> tuple[str, str] | None:
    """``value`` read as "topic-slug:choice" (a stance filter, a valgomat answer); None if it is not one."""
    topic, sep, choice = value.partition(":")
    return (topic, choice) if sep and SLUG.match(topic) and choice in choices else None


def parse_stance_filters(query: QueryDict) -> list[StanceFilter]:
    filters = []
    for value in _values(query, "standpunkt"):
        if (pair := topic_pair(value, VALUES)) is None:
            raise FilterError(
                _(
                    "Standpunktfilteret «%(value)s» er ikke forstått. Skriv det som tema:verdi, "
                    "for eksempel «sproyterom:for»; verdien kan være %(choices)s."
                )
                % {"value": value, "choices": ", ".join(VALUES)},
                parameter="standpunkt",
            )
        topic, stance = pair
        if any(f.topic == topic for f in filters):
            raise FilterError(
                _("Temaet «%(topic)s» har mer enn ett standpunktfilter; et parti kan bare ha ett standpunkt.")
                % {"topic": topic},
                parameter="standpunkt",
            )
        filters.append(StanceFilter(topic, stance))
    return sorted(filters, key=lambda f: f.topic)


def parse_grid_filters(query: QueryDict) -> GridFilters:
    """The grid's filters. The grid's rows and columns keep their own order, so the slugs are sorted."""
    organisations = sorted(parse_slugs(query, "parti")) or None
    topics = sorted(parse_slugs(query, "tema")) or None
    levels = parse_levels(query)
    stance_filters = parse_stance_filters(query)
    # Named organisations are shown whatever their level, and a stance filter searches every level
    # (its answer may be a branch); otherwise national is the default. Every level is no filter.
    default_levels = None if organisations or stance_filters else ["national"]
    chosen = None if levels == LEVELS else (levels or default_levels)
    return GridFilters(
        organisations=organisations,
        topics=topics,
        levels=chosen,
        stance_filters=stance_filters,
        levels_given=chosen != default_levels,
        page=parse_page(query),
    )


# --- each page's canonical query string ---------------------------------------------------------


def grid_query(query: QueryDict) -> str:
    """The grid and its fragment: the filters and the page."""
    filters = parse_grid_filters(query)
    return filters.page_query(filters.page)


def page_query(query: QueryDict) -> str:
    """A page that reads only ``side`` (a source's text, 50 statements a page)."""
    page = parse_page(query)
    return f"side={page}" if page > 1 else ""


def export_query(query: QueryDict) -> str:
    """The exports: the grid's filters, never the page (an export is the whole filtered set)."""
    filters = parse_grid_filters(query)
    return filters.querystring()


def levels_query(query: QueryDict) -> str:
    """A topic page: only the levels."""
    return urlencode([("niva", level) for level in parse_levels(query)])


def topic_query(query: QueryDict) -> str:
    """A topic page: the levels, the stance group paged through and its page."""
    stance, page = parse_topic_group(query)
    pairs = [("niva", level) for level in parse_levels(query)]
    pairs += [("stilling", stance)] if stance else []
    return urlencode(pairs + ([("side", page)] if page > 1 else []))


def compare_query(query: QueryDict) -> str:
    """Compare: the organisations in the order asked for (the columns follow it)."""
    return urlencode([("parti", slug) for slug in parse_slugs(query, "parti")])


def search_query(query: QueryDict) -> str:
    """Search: the words as typed (the page shows them), the filters sorted, the page (not 1)."""
    pairs = [("q", query.get("q", "").strip())] if query.get("q", "").strip() else []
    pairs += [("parti", slug) for slug in sorted(parse_slugs(query, "parti"))]
    pairs += [("tema", slug) for slug in sorted(parse_slugs(query, "tema"))]
    pairs += [("niva", level) for level in parse_levels(query)]
    if (page := parse_page(query)) > 1:
        pairs.append(("side", str(page)))
    return urlencode(pairs)
