"""The result page's answer-by-answer lists, in Python rather than a template loop.

A result renders every question for every organisation shown (9 × 14 at seed size, a page of 20
organisations with every branch: 20 × 30); the template engine's cost per item (a dozen lookups and
translation tags) was most of the page's render, as it was for the grid's cells
(``positions.templatetags.stances.grid_rows``).
"""

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from positions.templatetags.stances import ICONS, _badge

from ..matching import ANSWERS, STANCES
from ..views import ANSWER_LABELS

register = template.Library()

# An item is the question and the voter's answer (QUESTION: the same on every line of the page),
# the link to the organisation's stance (LINK), and that stance's badge (STANCE).
QUESTION = (
    '<li><span class="answer-question">{question}</span>\n'
    '<span class="answer-pair">{you} {answer}{important}.\n'
)
LINK = '{organisation}: <a class="cell-link" href="{url}" data-hx-get="{url}"'
STANCE = (
    ' data-hx-target="#evidence-content" data-hx-swap="innerHTML" data-opens-panel>'
    '<span class="visually-hidden">{see} </span>{badge}</a>{not_compared}</span></li>\n'
)


class AnswerLists:
    """What every line of a page's answer lists shares, escaped and translated once per page:
    each question's QUESTION and address ending, and each stance's STANCE (with "not compared"
    when the voter answered). A page of twenty lines of thirty questions has 600 items: doing
    this per item was most of the lists' time."""

    def __init__(self, outcome):
        you, skipped = escape(gettext("Du:")), escape(gettext("hoppet over"))
        see, important = escape(gettext("Se sitatet:")), escape(f" ({gettext('viktig')})")
        not_compared = f' <span class="muted">({escape(gettext("ikke sammenlignet"))})</span>'
        language = get_language()
        self.cell_url = outcome.cell_url
        self.questions = [
            (
                QUESTION.format(
                    question=escape(question.text),
                    you=you,
                    answer=escape(str(ANSWER_LABELS[question.answer])) if question.answer else skipped,
                    important=important if question.important else "",
                ),
                escape(f"{question.slug}{outcome.cell_url.after}"),
                question.answer in ANSWERS,
            )
            for question in outcome.questions
        ]
        self.stances = {
            (stance, answered): STANCE.format(
                see=see,
                badge=_badge(stance, "", language),
                not_compared=not_compared if answered and stance not in STANCES else "",
            )
            for stance in ICONS
            for answered in (False, True)
        }

    def items(self, row) -> str:
        """``row``'s items: the voter's answer beside the organisation's stance, which opens the
        quote behind it (the grid's evidence panel). An address is escaped in two parts, the
        organisation's and the question's: escaping works character by character."""
        address = escape(f"{self.cell_url.before}{row.organisation.slug}{self.cell_url.between}")
        name = escape(row.organisation.name)
        stances, pairs = self.stances, zip(self.questions, row.match.stances, strict=True)
        return "".join(
            [
                f"{question}{LINK.format(organisation=name, url=address + ending)}"
                f"{stances[stance if stance in ICONS else 'none', answered]}"
                for (question, ending, answered), stance in pairs
            ]
        )


@register.simple_tag(takes_context=True)
def answer_items(context, outcome, row) -> SafeString:
    """A result row's answer list (``valgomat.views.Row``), with what the page's lines share made
    once per render (``AnswerLists``, kept in the render context as Django's tags keep their
    state)."""
    lists = context.render_context.get(AnswerLists)
    if lists is None:
        lists = context.render_context[AnswerLists] = AnswerLists(outcome)
    return mark_safe(lists.items(row))
