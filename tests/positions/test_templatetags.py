"""The stance template helpers: badges in the active language, grid cells escaped and translated."""

import datetime

import pytest
from django.template import engines
from django.utils import translation

from positions.grid import StanceFilter, build_grid
from positions.templatetags.stances import (
    grid_rows,
    organisation_stance_items,
    quote,
    stance_filter_fields,
    stance_items,
)
from tests.factories import make_organisation, make_source, make_stance, make_statement, make_topic

BADGE = '<span class="badge badge-{value}"><span class="badge-icon" aria-hidden="true">{icon}</span> {label}'
BADGE += "</span>"


def render(source: str, **context) -> str:
    return engines["django"].from_string("{% load stances %}" + source).render(context)


def test_a_badge_speaks_the_active_language_every_time():
    """Badges are rendered once per value and language; switching back and forth never mixes them."""
    for language, label in [("nb", "mot"), ("en", "against"), ("nb", "mot"), ("en", "against")]:
        with translation.override(language):
            badge = render('{% stance_badge "against" %}').strip()
        assert badge == BADGE.format(value="against badge-stated", icon="✗", label=label)


def test_a_large_badge_and_an_unknown_value():
    with translation.override("nb"):
        large = render('{% stance_badge "for" size="large" %}').strip()
        unknown = render('{% stance_badge "maybe" %}').strip()
    assert large == BADGE.format(value="for badge-stated badge-large", icon="✓", label="for")
    assert unknown == BADGE.format(value="none badge-quiet", icon="–", label="ikke uttalt")


@pytest.mark.django_db
def test_grid_cells_escape_editor_text_and_translate_their_own():
    topic = make_topic(slug="lar", name="LAR <i>")
    org = make_organisation(slug="h", name='Parti "<b>H</b>"')
    doubtful = make_statement(organisation=org, confidence="uncertain", attribution_note="Kanskje.")
    make_stance(organisation=org, topic=topic, value="partly", summary="Ja & <nei>", evidence=[doubtful])
    silent = make_organisation(slug="krf")
    grid = build_grid()
    with translation.override("en"):
        html = grid_rows(grid)
    assert "<b>" not in html and "<i>" not in html and "<nei>" not in html
    assert 'data-label="LAR &lt;i&gt;"' in html
    assert "Parti &quot;&lt;b&gt;H&lt;/b&gt;&quot;, LAR &lt;i&gt;: " in html
    assert f'id="tip-{org.pk}-{topic.pk}">Ja &amp; &lt;nei&gt;</span>' in html
    assert '<span class="uncertain-mark" title="Uncertain attribution">' in html
    assert "(uncertain attribution)" in html
    silence = "The texts we have from the organisation say nothing about this."
    assert f'id="tip-{silent.pk}-{topic.pk}">{silence}' in html
    assert html.count("<td ") == html.count("</td>") == 2


@pytest.mark.django_db
def test_a_grid_row_names_its_organisation_escaped_with_its_level_and_what_it_stated():
    topic, _quiet = make_topic(slug="lar"), make_topic(slug="har")
    org = make_organisation(slug="h", name="H <b>", level="county")
    make_stance(organisation=org, topic=topic, value="for", evidence=[make_statement(organisation=org)])
    national = make_organisation(slug="krf")
    with translation.override("en"):  # as a page does: the grid is read and shown in one language
        grid = build_grid(levels=None)
        assert [row.slug for row in grid.organisations] == ["h", national.slug]
        html, party_row = grid_rows(grid).split("</tr>\n")[:2]
    assert html.count('<td class="cell') == party_row.count('<td class="cell') == 2
    assert html.startswith('<tr>\n<th scope="row">\n<a href="/en/parti/h/">')
    assert "H &lt;b&gt;</a>" in html and "<b>" not in html
    assert '<span class="level-label">county branch</span>' in html.lower()
    assert '<span class="stated-count">1 of 2 stated</span>' in html
    assert html == html.replace("old-sources", "")  # its only source is not from before the election
    assert "level-label" not in party_row and f'href="/en/parti/{national.slug}/"' in party_row


@pytest.mark.django_db
def test_a_grid_row_marks_an_organisation_whose_sources_all_predate_the_election():
    topic, org = make_topic(), make_organisation(slug="h")
    statement = make_statement(organisation=org)
    statement.source.date_start, statement.source.date_precision = None, "unknown"
    statement.source.save()
    stance = make_stance(organisation=org, topic=topic, value="for", evidence=[statement])
    statement.published_at = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    statement.save()
    stance.published_at = datetime.datetime(2026, 2, 1, tzinfo=datetime.UTC)
    stance.save()
    grid = build_grid(with_quotes=False, with_source_dates=True)
    with translation.override("nb"):
        html = grid_rows(grid)
    assert '<span class="old-sources"><span aria-hidden="true">⌛</span>' in html
    assert "(alle kildene er fra før valget i 2025 eller udaterte)" in html
    assert grid.last_reviewed == statement.published_at  # the later of the row's two publications


@pytest.mark.django_db
def test_the_stance_filter_has_any_and_each_value_per_topic_and_selects_only_its_own():
    lar, har = make_topic(slug="lar", name="LAR <i>"), make_topic(slug="har")
    filters = [StanceFilter("lar", "against"), StanceFilter("tvang", "for")]
    with translation.override("en"):
        html = stance_filter_fields([lar, har], ["for", "against", "none"], filters)
    lar_field, har_field = html.split('<div class="field">')[1:]
    assert '<label for="sf-lar">' in lar_field and "<i>" not in html
    assert '<option value="">All</option>' in lar_field
    assert '<option value="lar:against" selected>✗ against</option>' in lar_field
    assert '<option value="lar:none">– not stated</option>' in lar_field
    assert "selected" not in har_field and '<option value="har:for">✓ for</option>' in har_field


@pytest.mark.django_db
def test_a_quote_says_who_where_what_and_when_escaped_in_the_page_language():
    """Every part a quote may have: the source's address, its kind and date, that it predates the
    election, that it is nynorsk, and an uncertain attribution with its note; editor text escaped."""
    org = make_organisation(slug="h", name="H <b>", level="county")
    source = make_source(
        organisation=org, title="Tittel & <i>", language="nn", date_precision="year",
        date_start=datetime.date(2019, 1, 1), date_end=None,
    )  # fmt: skip
    source.url = "https://h.no/?a=1&b=2"
    source.save()
    statement = make_statement(
        source=source,
        organisation=org,
        text="Vi vil <ikkje>.",
        confidence="uncertain",
        attribution_note="Kanskje <u>.",
    )
    with translation.override("en"):
        html = quote(statement)
        plain = quote(make_statement(organisation=org, text="Vi vil."), show_source=False)
    assert html == (
        '<figure class="quote quote-uncertain">\n'
        '  <blockquote lang="nn" cite="https://h.no/?a=1&amp;b=2"><p>Vi vil &lt;ikkje&gt;.</p></blockquote>\n'
        "  <figcaption>\n"
        '    <span class="quote-who">H &lt;b&gt; (county branch)</span>\n'
        f'    · <a href="/en/kilde/{source.slug}/#u{statement.pk}">Tittel &amp; &lt;i&gt; — H &lt;b&gt;</a>\n'
        '    · party programme · <span class="source-date">2019</span> · <span class="source-old">'
        '<span aria-hidden="true">⌛</span> from before the 2025 election</span> · nynorsk\n'
        '    <span class="flag"><span aria-hidden="true">⚠</span> Uncertain attribution: '
        "Kanskje &lt;u&gt;.</span>\n"
        "  </figcaption>\n</figure>\n"
    )
    assert plain.startswith('<figure class="quote">\n  <blockquote lang="nb"><p>Vi vil.</p>')
    assert "<a href" not in plain and "source-old" not in plain and "nynorsk" not in plain
    assert (
        "flag" not in plain and '<span class="source-date">2021–2025</span>\n    \n  </figcaption>' in plain
    )


@pytest.mark.django_db
def test_a_topic_pages_items_name_each_organisation_escaped_with_its_summary_and_quotes():
    topic = make_topic(slug="lar")
    org = make_organisation(slug="h", name="H <b>", level="county")
    said = make_statement(organisation=org, text="Vi vil <ikkje>.")
    make_stance(organisation=org, topic=topic, value="for", summary="Ja & <nei>", evidence=[said])
    silent = make_organisation(slug="krf")
    grid = build_grid(levels=None)
    cells = [grid.cell(organisation, grid.topics[0]) for organisation in grid.organisations]
    with translation.override("en"):
        html = stance_items(cells)
        quoted = quote(cells[0].evidence[0])
    item, silent_item = html.split('<li class="stance-item"')[1:]
    assert item.startswith(' id="h">\n            <h3><a href="/en/parti/h/">H &lt;b&gt;</a>')
    assert '<span class="level-label">county branch</span></h3>' in item
    assert f'<p class="summary">Ja &amp; &lt;nei&gt;</p>\n            {quoted}\n          </li>' in item
    assert silent_item.startswith(f' id="krf">\n            <h3><a href="/en/parti/krf/">{silent.name}</a>')
    assert "summary" not in silent_item and "<figure" not in silent_item


@pytest.mark.django_db
def test_an_organisation_pages_items_show_each_topic_escaped_and_link_the_quotes_not_shown():
    said, _silent = make_topic(slug="lar", name="LAR <i>"), make_topic(slug="har")
    org = make_organisation(slug="h")
    quotes = [make_statement(organisation=org, text=f"Sitat {n}.") for n in range(3)]
    make_stance(organisation=org, topic=said, value="for", summary="Ja & <nei>", evidence=quotes)
    with translation.override("en"):  # as a page does: the grid is read and shown in one language
        [(_org, cells)] = build_grid(organisations=["h"], levels=None).rows()
        html = organisation_stance_items(cells, 2)
        shown = "".join(quote(statement) for statement in cells[0].evidence[:2])
    item, silent_item = html.split('<li class="stance-item"')[1:]
    assert item.startswith(' id="lar">\n      <h3><a href="/en/tema/lar/">LAR &lt;i&gt;</a></h3>')
    assert '<p class="summary">Ja &amp; &lt;nei&gt;</p>' in item and "Sitat 2." not in item
    assert f"      {shown}\n      \n" in item
    assert '<a href="/en/parti/h/tema/lar/">Show all 3 quotes (2 shown here)</a>' in item
    assert "The texts we have from the organisation say nothing about this." in silent_item
    assert "<figure" not in silent_item and "more-quotes" not in silent_item


def test_page_links_mark_the_current_page_gap_the_far_ones_and_escape_what_they_are_given():
    from positions.templatetags.stances import page_nav
    from positions.views import page_links

    pages = page_links(5, 12, lambda number: f"a=1&side={number}")
    with translation.override("en"):
        html = page_nav(pages, "/s/?x=<y>", 'list"1', "top")
    assert html.startswith(
        '\n<nav class="pagination" aria-label="Pages">\n  <ul>\n    <li><a href="/s/?x=&lt;y&gt;?'
    )
    assert '<a href="/s/?x=&lt;y&gt;?a=1&amp;side=4#top" rel="prev" data-hx-get=' in html
    assert 'data-hx-target="#list&quot;1" data-hx-swap="innerHTML show:#list&quot;1:top"' in html
    current = '<a href="/s/?x=&lt;y&gt;?a=1&amp;side=5#top" aria-current="page">'
    assert current + '<span class="visually-hidden">Page </span>5</a>' in html
    assert html.count('<li aria-hidden="true">…</li>') == 2  # 1 … 3 4 5 6 7 … 12
    assert ">Next</a></li>\n  </ul>\n</nav>\n" in html
    assert page_nav({}, "/s/", "t", "a") == ""  # one page: no links
