"""Template helpers for showing stances and quotes the same way on every page."""

import html
from dataclasses import dataclass
from functools import cache

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from parties.models import Organisation
from positions.addresses import address, address_parts
from positions.grid import shows_uncertain
from positions.models import LAST_STORTING_ELECTION, Source, Stance

register = template.Library()

# Icons are decoration (aria-hidden); the text label always goes with them.
ICONS = {"for": "✓", "partly": "◐", "against": "✗", "none": "–"}
LABELS = dict(Stance.Value.choices)
LEVEL_LABELS = dict(Organisation.Level.choices)
LEVEL_PLURALS = {
    "national": _("Nasjonalt"),
    "county": _("Fylkeslag"),
    "municipal": _("Lokallag"),
    "youth": _("Ungdomspartier"),
}


@register.filter
def stance_icon(value: str) -> str:
    return ICONS.get(value, ICONS["none"])


# The labels are lazy (translated when shown); a filter hands the template the text itself, so the
# template's escaping and checks do not translate the same label again each (~450 times a topic page).


@register.filter
def stance_label(value: str) -> str:
    return str(LABELS.get(value, LABELS["none"]))


@register.filter
def level_label(level: str) -> str:
    return str(LEVEL_LABELS.get(level, level))


@register.filter
def level_plural(level: str) -> str:
    return str(LEVEL_PLURALS.get(level, level))


@register.filter
def in_sentence(name: str) -> str:
    """A topic's name as it reads mid-sentence: "Rødt om sprøyterom og brukerrom", but "om LAR".

    The first letter is lower-cased unless the name starts with an abbreviation (two capitals or
    more, like LAR, HAR or "LAR-tiltak"), which keeps its capitals wherever it stands."""
    name = str(name)
    if len(name) > 1 and name[:2].isupper():
        return name
    if not name:
        return name
    return name[0].lower() + name[1:]


@register.filter
def abbreviations(topics) -> list[tuple[str, str]]:
    """(abbreviation, what it stands for) for the topics whose short name is an abbreviation spelled
    out in their name, "Legemiddelassistert rehabilitering (LAR)": the grid explains them in text,
    since a hover title reaches neither touch screens nor the keyboard."""
    result = []
    for topic in topics:
        short = topic.short_name
        suffix = f" ({short})"
        if short.isupper() and len(short) > 1 and topic.name.endswith(suffix):
            result.append((short, in_sentence(topic.name.removesuffix(suffix))))
    return result


@register.filter
def any_uncertain(grid) -> bool:
    """Whether any cell shown rests partly on text of uncertain attribution (marked ⚠ in the grid)."""
    return any(shows_uncertain(stance) for stance in grid.cells.values())


@register.simple_tag
def election_year() -> int:
    """The year of the last Storting election, which sources are dated against."""
    return LAST_STORTING_ELECTION.year


@register.filter
def any_old_sources(organisations) -> bool:
    """Whether any organisation shown rests only on sources from before the election or undated."""
    return any(getattr(organisation, "only_old_sources", False) for organisation in organisations)


@register.filter
def stated_count(cells) -> int:
    """How many of a row's cells state a position (for, partly or against)."""
    return sum(cell.value != "none" for cell in cells)


@register.simple_tag
def stance_badge(value: str, *, size: str = "") -> SafeString:
    """The badge (icon and label) for a stance value: the grid shows 81 of them, in four kinds."""
    return _badge(value if value in ICONS else "none", size, get_language())


@cache
def _badge(value: str, size: str, language: str) -> SafeString:
    # One rendering per value, size and language: the badge depends on nothing else.
    context = {"value": value, "icon": ICONS[value], "label": LABELS[value], "size": size}
    return render_to_string("positions/includes/badge.html", context)


@receiver(setting_changed)
def _forget_badges(*, setting, **kwargs):
    """Tests that change languages or templates get fresh badges, as Django's own caches do."""
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS", "TEMPLATES"}:
        _badge.cache_clear()
    if setting in {"LANGUAGES", "LANGUAGE_CODE", "LOCALE_PATHS"}:
        _quote_words.cache_clear()


@register.simple_tag
def quote(statement, *, show_source: bool = True, heading_level: int = 0) -> SafeString:
    """A verbatim quote with who said it (and at which level), where, what kind of text and when.

    Written here rather than in an included template: the topic page shows ~60 quotes, and a
    template each (a context, a dozen lookups, a ``reverse()`` for the source's address, the source's
    date read three times) was half of its render. Plain strings, not ``format_html``, and the words
    every quote uses translated once per language (``_quote_words``): at national size the quotes
    were still a fifth of a topic page (66 µs each). Every value is escaped as the template did."""
    sources = address_parts("positions:source") if show_source else None
    return _quote(statement, _quote_words(get_language()), sources)


def _quote(statement, words: "QuoteWords", sources: tuple[str, str] | None) -> SafeString:
    """``quote`` with the words and the sources' address parts (None: no source shown) looked up
    by the caller, once for a list of quotes. ``statement`` is a Statement, with its source and
    organisation and the source's loaded, or anything with the same fields (``topic_quotes.Quote``)."""
    escape = html.escape
    source, organisation = statement.source, statement.organisation
    uncertain = statement.is_uncertain
    cite = f' cite="{escape(source.url)}"' if source.url else ""
    where = (
        f'· <a href="{escape(f"{sources[0]}{source.slug}{sources[1]}")}#{escape(statement.anchor)}">'
        f"{escape(source.title)} — {escape(source.organisation.name)}</a>"
        if sources is not None
        else ""
    )
    level = words.level(organisation.level)
    return mark_safe(  # noqa: S308 -- every value above is escaped or one of the escaped words
        f'<figure class="quote{" quote-uncertain" if uncertain else ""}">\n'
        f'  <blockquote lang="{escape(source.language)}"{cite}><p>{escape(statement.text)}</p></blockquote>\n'
        "  <figcaption>\n"
        f'    <span class="quote-who">{escape(organisation.name)} ({level})</span>\n'
        f"    {where}\n"
        f"    · {words.dating(source)}"
        f"\n    {words.flag(statement)}\n  </figcaption>\n</figure>\n"
    )


@dataclass(frozen=True)
class QuoteWords:
    """What a quote says in words of the site's own, each escaped, in one language."""

    kinds: dict[str, str]  # a source's kind by its value
    levels: dict[str, str]  # an organisation's level by its value
    old_source: str  # after the date of a source from before the last election
    nynorsk: str  # after the date of a source in nynorsk
    uncertain: str  # before the note on an uncertain attribution

    # How a quote and a search hit both say who said it, in what kind of source and when.
    def level(self, level: str) -> str:
        return self.levels.get(level) or html.escape(level)

    def dating(self, source) -> str:
        """The source's kind and date, marked if it predates the last election or is nynorsk."""
        return (
            f"{self.kinds.get(source.kind) or html.escape(source.kind)} · "
            f'<span class="source-date">{html.escape(source.date_label)}</span>'
            f"{self.old_source if source.predates_election else ''}"
            f"{self.nynorsk if source.language == 'nn' else ''}"
        )

    def flag(self, statement) -> str:
        """⚠ and the note, for a quote of uncertain attribution; nothing for another."""
        if not statement.is_uncertain:
            return ""
        return (
            f'<span class="flag"><span aria-hidden="true">⚠</span> {self.uncertain} '
            f"{html.escape(statement.attribution_note)}</span>"
        )


@cache
def _quote_words(language: str | None) -> QuoteWords:
    escape = html.escape
    old = gettext("fra før valget i %(year)s") % {"year": LAST_STORTING_ELECTION.year}
    return QuoteWords(
        kinds={value: escape(str(label)) for value, label in Source.Kind.choices},
        levels={value: escape(str(label)) for value, label in LEVEL_LABELS.items()},
        old_source=f' · <span class="source-old"><span aria-hidden="true">⌛</span> {escape(old)}</span>',
        nynorsk=f" · {escape(gettext('nynorsk'))}",
        uncertain=escape(gettext("Usikker attribusjon:")),
    )


# One organisation's stance on a topic page: its name and level, the stance's summary, the quotes.
STANCE_ITEM = (
    '\n          <li class="stance-item" id="{slug}">\n'
    '            <h3><a href="{url}">{name}</a> <span class="level-label">{level}</span></h3>\n'
    "            {summary}\n"
    "            {quotes}\n"
    "          </li>\n        "
)


@register.simple_tag
def stance_items(cells) -> SafeString:
    """A topic page's list items, one a cell (``Grid.cell``): who, the summary, every quote.

    Python rather than a template loop for the reason ``grid_rows`` is: a topic page shows 40 of
    them at national size, and the loop's lookups, ``{% url %}`` and escaping were a third of the
    page (170 µs an item, its quotes aside). The words and addresses every item uses are looked up
    once for the list, not once an item and a quote (100 lookups a page at national size)."""
    escape = html.escape
    words = _quote_words(get_language())
    before, after = address_parts("positions:organisation")
    sources = address_parts("positions:source")
    parts = []
    for cell in cells:
        organisation = cell.organisation
        summary = cell.summary
        parts.append(
            STANCE_ITEM.format(
                slug=escape(organisation.slug),
                url=escape(f"{before}{organisation.slug}{after}"),
                name=escape(organisation.name),
                level=words.level(organisation.level),
                summary=f'<p class="summary">{escape(summary)}</p>' if summary else "",
                quotes="".join(_quote(statement, words, sources) for statement in cell.evidence),
            )
        )
    return mark_safe("".join(parts))  # noqa: S308 -- every value above is escaped, or a quote


@register.simple_tag
def group_members(cells) -> SafeString:
    """A topic page's stance group in its table: a link to each shown organisation's item, or "–"
    for none. One join rather than a template loop: 40 links at national size, each four lookups
    and a ``forloop`` test in the loop."""
    escape = html.escape
    if not cells:
        return mark_safe("–")
    links = (f'<a href="#{escape(c.organisation.slug)}">{escape(c.organisation.name)}</a>' for c in cells)
    return mark_safe(", ".join(links))  # noqa: S308 -- every value is escaped


# A paginated list's page links (``positions.views.page_links``): each a plain link to the page, and an
# htmx swap of the list's region (``target``) when JavaScript runs.
PAGE_NAV = (
    '\n<nav class="pagination" aria-label="{label}">\n  <ul>\n    {previous}\n    {numbers}\n    {next}\n'
    "  </ul>\n</nav>\n"
)
PAGE_LINK = (
    '<li><a href="{href}#{anchor}"{rel} data-hx-get="{href}" data-hx-target="#{target}"'
    ' data-hx-swap="innerHTML show:#{target}:top" data-hx-push-url="true">{text}</a></li>'
)


@register.simple_tag
def page_nav(pages, url, target, anchor) -> SafeString:
    """The page links of a paginated list (``includes/pagination.html``): previous, the numbers with
    gaps and the current page marked, next; nothing for one page. In Python for the reason
    ``stance_items`` is: a topic page has four of them at national size, and as a template (some
    30 lookups and a ``blocktranslate`` a link) they were 27% of its rendering under cProfile."""
    if not pages:
        return ""
    escape = conditional_escape  # as ``{{ }}`` does: a value already safe is left as it is
    url, target, anchor = escape(url), escape(target), escape(anchor)

    def href(query: str) -> str:
        return f"{url}?{escape(query)}" if query else url

    def link(href: str, text: str, rel: str = "") -> str:
        return PAGE_LINK.format(href=href, anchor=anchor, rel=rel, target=target, text=text)

    side = gettext('<span class="visually-hidden">Side </span>%(number)s')
    numbers = []
    for page in pages["numbers"]:
        # A gap's and the current page's lines end as the template's did, before its next branch.
        if page.number is None:
            item = '<li aria-hidden="true">…</li>\n      '
        elif page.current:
            text = side % {"number": page.number}
            item = f'<li><a href="{href(page.query)}#{anchor}" aria-current="page">{text}</a></li>\n      '
        else:
            item = link(href(page.query), side % {"number": page.number})
        numbers.append(f"\n      {item}\n    ")
    previous, following = pages["previous"], pages["next"]
    return mark_safe(  # noqa: S308 -- every value is escaped or one of our own translated strings
        PAGE_NAV.format(
            label=escape(gettext("Sider")),
            previous=link(href(previous.query), escape(gettext("Forrige")), ' rel="prev"')
            if previous
            else "",
            numbers="".join(numbers),
            # The next page always has a query (its number), so its "?" is written as it is.
            next=link(f"{url}?{escape(following.query)}", escape(gettext("Neste")), ' rel="next"')
            if following
            else "",
        )
    )


# One topic of an organisation page: the topic, its question, the stance, the first quotes.
ORGANISATION_ITEM = (
    '\n    <li class="stance-item" id="{slug}">\n'
    '      <h3><a href="{url}">{name}</a></h3>\n'
    '      <p class="question">{question}</p>\n'
    '      <div class="evidence-stance">{badge}\n'
    '        <p class="summary">{summary}</p>\n'
    "      </div>\n"
    "      {quotes}\n"
    "      {more}\n"
    "    </li>\n  "
)
MORE_QUOTES = '\n        <p class="more-quotes"><a href="{url}">{text}</a></p>\n      '


@register.simple_tag
def organisation_stance_items(cells, quotes_per_cell: int) -> SafeString:
    """An organisation page's list items, one a topic (``Grid.rows``' cells): the topic and its
    question, the stance's badge and summary, its first ``quotes_per_cell`` quotes and a link to the
    rest. In Python for the reason ``stance_items`` is: one a topic, 30 at national size."""
    escape = html.escape
    language = get_language()
    not_stated = escape(gettext("Tekstene vi har fra organisasjonen sier ikke noe om dette."))
    parts = []
    for cell in cells:
        topic, evidence = cell.topic, cell.evidence
        more = ""
        if len(evidence) > quotes_per_cell:
            text = ngettext(
                "Vis alle %(counter)s sitater (%(shown)s vises her)",
                "Vis alle %(counter)s sitater (%(shown)s vises her)",
                len(evidence),
            ) % {"counter": len(evidence), "shown": quotes_per_cell}
            more = MORE_QUOTES.format(url=escape(cell.url), text=text)
        summary = cell.summary
        value = cell.value if cell.value in ICONS else "none"
        parts.append(
            ORGANISATION_ITEM.format(
                slug=escape(topic.slug),
                url=escape(address("positions:topic", topic.slug)),
                name=escape(topic.name_local),
                question=escape(topic.question_local),
                badge=_badge(value, "", language),
                summary=escape(summary) if summary else not_stated,
                quotes="".join(quote(statement) for statement in evidence[:quotes_per_cell]),
                more=more,
            )
        )
    return mark_safe("".join(parts))  # noqa: S308 -- every value above is escaped, a badge or a quote


# A party's colour beside an organisation's name: decoration only, the name says who it is.
SWATCH = (
    '<svg class="swatch" width="12" height="12" viewBox="0 0 12 12" aria-hidden="true" focusable="false">'
    '<rect width="12" height="12" rx="2" fill="{colour}"/></svg>'
)


@register.simple_tag
def swatch(colour: str) -> SafeString:
    """SWATCH in a template."""
    return format_html(SWATCH, colour=colour)


# One row of the home page's grid: the organisation's header cell, then one cell per topic: a link
# to the cell's evidence (an htmx panel, or the cell's own page without JavaScript) with the stance
# badge, and the summary as its tooltip.
GRID_ROW = (
    '<tr>\n<th scope="row">\n<a href="{url}">' + SWATCH + "{name}</a>\n"
    '{level}{old_sources}\n<span class="stated-count">{stated}</span>\n</th>\n{cells}</tr>\n'
)
LEVEL_MARK = '<span class="level-label">{}</span>'
OLD_SOURCES_MARK = (
    '<span class="old-sources"><span aria-hidden="true">⌛</span>'
    '<span class="visually-hidden">{}</span></span>'
)
UNCERTAIN_MARK = (
    '<span class="uncertain-mark" title="{}"><span aria-hidden="true">⚠</span>'
    '<span class="visually-hidden"> {}</span></span>'
)


@register.simple_tag
def grid_rows(grid) -> SafeString:
    """The grid's rows (``Grid.organisations`` × ``Grid.topics``), as GRID_ROW: each organisation,
    marked with its level unless national and with ⌛ if all its sources predate the election, how
    many of its cells state a position, then a cell per topic.

    Python rather than a template loop because a cache miss renders every cell: at 12 × 9 the
    template engine's ~50 µs per cell was the largest single cost of the home page, and a page of
    20 branches × 30 topics has 600 cells. So each cell is one f-string of values prepared once:
    a column's label and address, a row's name and address, a value's badge; only the summary is
    escaped per cell. Cells are read straight from ``Grid.cells`` (no ``Cell`` objects).
    """
    escape = html.escape
    language = get_language()
    english = (language or "").startswith("en")
    not_stated = escape(gettext("Tekstene vi har fra organisasjonen sier ikke noe om dette."))
    uncertain_mark = format_html(
        UNCERTAIN_MARK, gettext("Usikker attribusjon"), gettext("(usikker attribusjon)")
    )
    old_note = gettext("(alle kildene er fra før valget i %(year)s eller udaterte)")
    old_sources = format_html(OLD_SOURCES_MARK, old_note % {"year": LAST_STORTING_ELECTION.year})
    stated_phrase = gettext("%(stated)s av %(total)s uttalt")
    badges = {value: _badge(value, "", language) for value in ICONS}
    before, between, after = grid._cell_url_parts
    labels = grid.topic_labels
    columns = [(topic.pk, escape(labels[topic.pk]), escape(topic.slug + after)) for topic in grid.topics]
    cells = grid.cells
    rows = []
    for organisation in grid.organisations:
        pk, name = organisation.pk, escape(organisation.name)
        address = escape(f"{before}{organisation.slug}{between}")
        stated, parts = 0, []
        for topic_pk, label, tail in columns:
            stance = cells.get((pk, topic_pk))
            if stance is None:
                value, summary, uncertain = "none", not_stated, ""
            else:
                value = stance.value if stance.value in ICONS else "none"
                summary = escape((english and stance.summary_en) or stance.summary) or not_stated
                uncertain = uncertain_mark if shows_uncertain(stance) else ""
            if value != "none":
                stated += 1
            url = address + tail
            parts.append(
                f'<td class="cell cell-{value}" data-label="{label}">'
                f'<a class="cell-link" href="{url}" data-hx-get="{url}" data-hx-target="#evidence-content"'
                f' data-hx-swap="innerHTML" data-opens-panel aria-describedby="tip-{pk}-{topic_pk}">'
                f'<span class="visually-hidden">{name}, {label}: </span>{badges[value]}{uncertain}</a>\n'
                f'<span class="tip" role="tooltip" id="tip-{pk}-{topic_pk}">{summary}</span></td>\n'
            )
        level = organisation.level
        rows.append(
            GRID_ROW.format(
                url=escape(grid.organisation_url(organisation)),
                colour=escape(organisation.party.colour),
                name=name,
                level="" if organisation.is_national else format_html(LEVEL_MARK, level_label(level)),
                old_sources=old_sources if getattr(organisation, "only_old_sources", False) else "",
                stated=escape(stated_phrase % {"stated": stated, "total": len(columns)}),
                cells="".join(parts),
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 -- every value above is escaped or built by format_html


SELECTED = " selected"
STANCE_FILTER_FIELD = (
    '<div class="field">\n<label for="sf-{slug}">{label}</label>\n'
    '<select id="sf-{slug}" name="standpunkt">\n<option value="">{any}</option>\n{options}</select>\n</div>\n'
)


@register.simple_tag
def stance_filter_fields(topics, values, stance_filters) -> SafeString:
    """The grid's stance filter: for each topic a labelled select of "any" and each of ``values``
    (icon and label), the one in ``stance_filters`` selected. 14 topics × 5 options were a tenth of
    a cache miss as a template loop."""
    escape = html.escape
    choices = [(value, escape(f"{stance_icon(value)} {stance_label(value)}")) for value in values]
    chosen = {(f.topic, f.value) for f in stance_filters}
    any_value = escape(gettext("Alle"))
    fields = []
    for topic in topics:
        slug = escape(topic.slug)
        options = "".join(
            f'<option value="{slug}:{value}"{SELECTED if (topic.slug, value) in chosen else ""}>'
            f"{text}</option>\n"
            for value, text in choices
        )
        fields.append(
            STANCE_FILTER_FIELD.format(
                slug=slug, label=escape(topic.short_name_local), any=any_value, options=options
            )
        )
    return mark_safe("".join(fields))


@register.simple_tag
def grid_header(grid) -> SafeString:
    """The grid's topic columns: each a link to the topic's page, its question as the title."""
    escape = html.escape
    return mark_safe(
        "".join(
            f'<th scope="col"><a href="{escape(grid.topic_url(topic))}"'
            f' title="{escape(topic.question_local)}">{escape(grid.topic_labels[topic.pk])}</a></th>\n'
            for topic in grid.topics
        )
    )
