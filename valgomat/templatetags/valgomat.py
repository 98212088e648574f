"""The result page's ranked lines and their answer-by-answer lists, in Python rather than a
template loop.

A result renders every question for every organisation shown (9 × 14 at seed size, a page of 20
organisations with every branch: 20 × 30); the template engine's cost per item (a dozen lookups and
translation tags) was most of the page's render, as it was for the grid's cells
(``positions.templatetags.stances.grid_cells``). Each line's own heading and score, six translation
tags and a dozen lookups in the template, were then most of what was left: a page of twenty lines
took twice as long to render as the seed's nine.
"""

from html import escape

from django import template
from django.template.base import render_value_in_context
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext

from positions.templatetags.stances import ICONS, _badge, level_label

from ..matching import ANSWERS, MIN_COMPARED, STANCES
from ..views import ANSWER_LABELS

register = template.Library()

# A line: the organisation's heading, its score (SCORE, or TOO_FEW when it has too few questions
# compared to get one, or nothing when there is no ranking), and its answer list.
LINE = (
    "\n"
    '    <li class="valgomat-result">\n'
    '      <h3><svg class="swatch" width="12" height="12" viewBox="0 0 12 12" aria-hidden="true"'
    ' focusable="false"><rect width="12" height="12" rx="2" fill="{colour}"/></svg>{rank}{name}{level}</h3>\n'
    "      {score}\n"
    '      <details class="answer-details">\n'
    "        <summary>{summary}</summary>\n"
    '        <ul class="answer-list">\n'
    "          {items}\n"
    "        </ul>\n"
    "      </details>\n"
    "    </li>\n"
    "  "
)
RANK = '<span class="rank">{rank}:</span> '
LEVEL = ' <span class="level-label">{level}</span>'
SCORE = (
    "\n"
    '        <p class="score"><strong>{percent_label}</strong>\n'
    '          <svg class="score-bar" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true"'
    ' focusable="false"><rect class="score-track" width="100" height="8"/>'
    '<rect class="score-fill" width="{percent}" height="8"/></svg>\n'
    '          <span class="compared">{compared}</span>\n'
    "          {other_rank}</p>\n"
    "      "
)
OTHER_RANK = '<span class="other-rank">{other_rank}</span>'
TOO_FEW = '\n        <p class="score too-few">{too_few}</p>\n      '

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
def result_lines(context, outcome, other_metric_label) -> SafeString:
    """The page's lines (``valgomat.views.Row``), each as LINE. Values are rendered as the template
    engine renders them (``render_value_in_context``: localised, then escaped), and the messages
    are the ones the template's translation tags asked for, so their translations stand."""

    def value(value) -> str:
        return render_value_in_context(value, context)

    lists, metric, minimum = AnswerLists(outcome), value(other_metric_label), value(MIN_COMPARED)
    lines = []
    for row in outcome.rows:
        organisation, match = row.organisation, row.match
        name, compared = value(organisation.name), value(match.compared)
        rank = ""
        if match.rank:
            message = gettext("Delt %(rank)s. plass") if row.tied else gettext("%(rank)s. plass")
            rank = RANK.format(rank=message % {"rank": value(match.rank)})
        score = ""
        if row.percent is not None:
            other_rank = ""
            if row.other_rank:
                message = gettext("Med %(metric)s: %(rank)s. plass.")
                other_rank = OTHER_RANK.format(
                    other_rank=message % {"metric": metric, "rank": value(row.other_rank)}
                )
            score = SCORE.format(
                percent_label=gettext("%(percent)s %% enig") % {"percent": value(row.percent)},
                percent=value(row.percent),
                compared=ngettext(
                    "bygger på %(counter)s spørsmål", "bygger på %(counter)s spørsmål", match.compared
                )
                % {"counter": compared},
                other_rank=other_rank,
            )
        elif outcome.ranked:
            message = ngettext(
                "Ingen prosent: vi kan bare sammenligne %(counter)s spørsmål, og det trengs minst "
                "%(minimum)s for å si noe.",
                "Ingen prosent: vi kan bare sammenligne %(counter)s spørsmål, og det trengs minst "
                "%(minimum)s for å si noe.",
                match.compared,
            )
            score = TOO_FEW.format(too_few=message % {"counter": compared, "minimum": minimum})
        lines.append(
            LINE.format(
                colour=value(organisation.party.colour),
                rank=rank,
                name=name,
                level=""
                if organisation.is_national
                else LEVEL.format(level=value(level_label(organisation.level))),
                score=score,
                summary=gettext("Svar for svar: deg og %(organisation)s") % {"organisation": name},
                items=lists.items(row),
            )
        )
    return mark_safe("".join(lines))
