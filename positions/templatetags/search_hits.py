"""The search page's list of hits (``positions.search_results.SearchResult``), written in Python.

A template loop cost ~45 variable lookups, a ``{% with %}``, two translations and a nested loop of
badges per hit: at 20 hits it was over half of the page's render (under cProfile, 31 ms a render of
``/sok/?q=behandling`` on PostgreSQL at national size, 13 ms after; this tag takes ~0.4 ms for the
20 hits). So, as ``grid_rows`` does for the grid, each
hit is one f-string of values prepared once per page: the words every hit uses translated once per
language (``stances._quote_words``, shared with ``quote``), a badge per value, a topic's name per
topic. The markup is exactly what the template wrote, whitespace and all, and every value is escaped
as the template escaped it; the snippet alone is written as it is: ``positions.search`` escaped it
and added only ``<mark>`` (tests/site/test_published_and_safe.py).
"""

import html

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from .stances import ICONS, _badge, _quote_words

register = template.Library()

# One hit; the blank lines are those the template's tags left.
HIT = (
    '\n          \n            <li class="hit{uncertain_class}">\n              \n'
    '              <p class="hit-text" lang="{language}">{snippet}</p>\n'
    '              <p class="hit-meta">\n'
    '                <a href="{organisation_url}">{organisation}</a> ({level})\n'
    '                · <a href="{source_url}">{title} — {source_organisation}</a>\n'
    "                · {dating}\n"
    "                {flag}\n"
    "              </p>\n"
    "              {cells}\n"
    "            </li>\n          \n        "
)
# The organisation's stance on each of the statement's topics.
HIT_CELLS = (
    '\n                <p class="hit-topics-label">{label}</p>\n'
    '                <ul class="hit-topics">\n'
    "                  {items}\n"
    "                </ul>\n              "
)


@register.simple_tag
def search_hits(results) -> SafeString:
    """The hits as HIT, best first: the snippet, who said it where and when (as a quote says it),
    and the organisation's badge on each of the statement's topics."""
    escape = html.escape
    language = get_language()
    words = _quote_words(language)
    badges = {value: _badge(value, "", language) for value in ICONS}
    label = gettext("Standpunktet til %(organisation)s:")
    topic_names: dict[int, str] = {}
    hits = []
    for result in results:
        statement = result.hit.statement
        source, organisation = statement.source, statement.organisation
        uncertain = statement.is_uncertain
        name = escape(organisation.name)
        cells = ""
        if result.cells:
            items = []
            for topic, value, url in result.cells:
                topic_name = topic_names.get(topic.pk)
                if topic_name is None:
                    topic_name = topic_names[topic.pk] = escape(topic.name_local)
                badge = badges.get(value) or badges["none"]
                items.append(f'<li><a href="{escape(url)}">{topic_name}</a> {badge}</li>')
            cells = HIT_CELLS.format(label=label % {"organisation": name}, items="".join(items))
        hits.append(
            HIT.format(
                uncertain_class=" quote-uncertain" if uncertain else "",
                language=escape(source.language),
                snippet=result.hit.snippet,
                organisation_url=escape(result.organisation_url),
                organisation=name,
                level=words.level(organisation.level),
                source_url=escape(result.source_url),
                title=escape(source.title),
                source_organisation=escape(source.organisation.name),
                dating=words.dating(source),
                flag=words.flag(statement),
                cells=cells,
            )
        )
    return mark_safe("".join(hits))  # noqa: S308 -- every value above is escaped, a badge or the snippet
