"""The result page's answer-by-answer lists, in Python rather than a template loop.

A result renders every question for every organisation shown (9 × 14 at seed size, a page of 20
organisations with every branch); the template engine's cost per item (a dozen lookups and
translation tags) was most of the page's render, as it was for the grid's cells
(``positions.templatetags.stances.grid_rows``).
"""

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from positions.templatetags.stances import ICONS, _badge

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
    organisation's stance, which opens the quote behind it (the grid's evidence panel).

    Every text is escaped here, once: the phrases, the answers' labels and the row's name once per
    row, the rest once per item (``format_html`` would check each of nine values of every item).
    A page of twenty rows with thirty questions has 600 items: translating a lazy label for each
    of them was about a third of the list's time."""
    language = get_language()
    you, skipped, see = escape(gettext("Du:")), escape(gettext("hoppet over")), escape(gettext("Se sitatet:"))
    important = escape(f" ({gettext('viktig')})")
    not_compared = f' <span class="muted">({escape(gettext("ikke sammenlignet"))})</span>'
    name = escape(row.organisation.name)
    answer_labels = {}  # answer → its label, escaped: translated once per answer, not once per item
    items = []
    for item in row.items:
        detail, url = item.detail, escape(item.url)
        if detail.answer and detail.answer not in answer_labels:
            answer_labels[detail.answer] = escape(str(item.answer_label))
        items.append(
            ITEM.format(
                question=escape(item.question.text),
                you=you,
                answer=answer_labels[detail.answer] if detail.answer else skipped,
                important=important if item.question.important else "",
                organisation=name,
                url=url,
                see=see,
                badge=_badge(detail.stance if detail.stance in ICONS else "none", "", language),
                not_compared=not_compared if detail.answer and not detail.compared else "",
            )
        )
    return mark_safe("".join(items))
