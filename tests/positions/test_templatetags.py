"""The stance template helpers: badges in the active language, grid cells escaped and translated."""

import pytest
from django.template import engines
from django.utils import translation

from positions.grid import build_grid
from positions.templatetags.stances import grid_cells
from tests.factories import make_organisation, make_stance, make_statement, make_topic

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
    [(_, cells), (_, silent_cells)] = grid.rows()
    with translation.override("en"):
        html = grid_cells(cells) + grid_cells(silent_cells)
    assert "<b>" not in html and "<i>" not in html and "<nei>" not in html
    assert 'data-label="LAR &lt;i&gt;"' in html
    assert "Parti &quot;&lt;b&gt;H&lt;/b&gt;&quot;, LAR &lt;i&gt;: " in html
    assert f'id="tip-{org.pk}-{topic.pk}">Ja &amp; &lt;nei&gt;</span>' in html
    assert '<span class="uncertain-mark" title="Uncertain attribution">' in html
    assert "(uncertain attribution)" in html
    silence = "The texts we have from the organisation say nothing about this."
    assert f'id="tip-{silent.pk}-{topic.pk}">{silence}' in html
    assert html.count("<td ") == html.count("</td>") == 2


def test_stance_choices_pair_each_value_with_its_icon_and_label():
    with translation.override("en"):
        choices = render(
            "{% stance_choices values as choices %}{% for v, t in choices %}{{ v }}={{ t }};{% endfor %}",
            values=["for", "none"],
        )
    assert choices == "for=✓ for;none=– not stated;"
