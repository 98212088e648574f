"""The result page's answer-by-answer lists, in Python rather than a template loop.

A result renders every question for every organisation (9 × 14 at seed size, hundreds with every
branch); the template engine's cost per item (a dozen lookups and translation tags) was most of
the page's render, as it was for the grid's cells (``positions.templatetags.stances.grid_cells``).
"""

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from positions.templatetags.stances import ICONS, _badge, _format_html

register = template.Library()

ITEM = (
    '<li><span class="answer-question">{question}</span>\n'
    '<span class="answer-pair">{you} {answer}{important}.\n'
    '{organisation}: <a class="cell-link" href="{url}" data-hx-get="{url}" data-hx-target="#evidence-content"'
    ' data-hx-swap="innerHTML" data-opens-panel><span class="visually-hidden">{see} </span>{badge}</a>'
    "{not_compared}</span></li>\n"
)


@register.simple_tag
def answer_items(row) -> SafeString:
    """A result row's items (``valgomat.views.Row.items``) as ITEM: the voter's answer beside the
    organisation's stance, which opens the quote behind it (the grid's evidence panel)."""
    language = get_language()
    you, skipped, see = gettext("Du:"), gettext("hoppet over"), gettext("Se sitatet:")
    important = f" ({gettext('viktig')})"
    not_compared = f' <span class="muted">({gettext("ikke sammenlignet")})</span>'
    name = row.organisation.name
    return mark_safe(
        "".join(
            _format_html(
                ITEM,
                question=item.question.text,
                you=you,
                answer=item.answer_label if item.detail.answer else skipped,
                important=important if item.question.important else "",
                organisation=name,
                url=item.cell.url,
                see=see,
                badge=_badge(item.detail.stance if item.detail.stance in ICONS else "none", "", language),
                not_compared=mark_safe(not_compared)
                if item.detail.answer and not item.detail.compared
                else "",
            )
            for item in row.items
        )
    )
