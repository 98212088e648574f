"""The result page's ranked lines and their answer-by-answer lists, in Python rather than a
template loop.

A result renders every question for every organisation shown (9 × 14 at seed size, a page of 20
organisations with every branch: 20 × 30); the template engine's cost per item (a dozen lookups and
translation tags) was most of the page's render, as it was for the grid's cells
(``positions.templatetags.stances.grid_rows``). Each line's own heading and score, six translation
tags and a dozen lookups in the template, were then most of what was left: a page of twenty lines
took twice as long to render as the seed's nine.
"""

from functools import cache
from html import escape

from django import template
from django.template.base import render_value_in_context
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext, ngettext

from positions.templatetags.stances import ICONS, SWATCH, _badge, level_label

from ..matching import ANSWERS, MIN_COMPARED, STANCES
from ..views import ANSWER_LABELS

register = template.Library()

# A line: the organisation's heading, its score (SCORE, or TOO_FEW when it has too few questions
# compared to get one, or nothing when there is no ranking), and its answer list.
LINE = (
    "\n"
    '    <li class="valgomat-result">\n'
    "      <h3>" + SWATCH + "{rank}{name}{level}</h3>\n"
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
# the link to the cell behind the organisation's stance (LINK and LINK_AGAIN, each followed by the
# question's part of the cell's address, then a closing quote), and that stance's badge (STANCE).
QUESTION = (
    '<li><span class="answer-question">{question}</span>\n'
    '<span class="answer-pair">{you} {answer}{important}.\n'
)
LINK = '{organisation}: <a class="cell-link" href="{address}'
LINK_AGAIN = '" data-hx-get="{address}'
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
        answer_label = cache(lambda answer: escape(str(ANSWER_LABELS[answer])))  # five answers, 30 questions
        self.cell_url = outcome.cell_url
        self.questions = [
            (
                QUESTION.format(
                    question=escape(question.text),
                    you=you,
                    answer=answer_label(question.answer) if question.answer else skipped,
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

    def items(self, row, name: str) -> str:
        """``row``'s items (``name``: the organisation's, escaped): the voter's answer beside the
        organisation's stance, which opens the quote behind it (the grid's evidence panel). LINK is
        made in three parts, the address's organisation part written once per line and the
        question's part once per item (escaping works character by character)."""
        address = escape(f"{self.cell_url.before}{row.organisation.slug}{self.cell_url.between}")
        link, again = LINK.format(organisation=name, address=address), LINK_AGAIN.format(address=address)
        stances, pairs = self.stances, zip(self.questions, row.match.stances, strict=True)
        return "".join(
            [
                f'{question}{link}{ending}{again}{ending}"'
                f"{stances[stance if stance in ICONS else 'none', answered]}"
                for (question, ending, answered), stance in pairs
            ]
        )


@register.simple_tag(takes_context=True)
def result_lines(context, outcome, other_metric_label) -> SafeString:
    """The page's lines (``valgomat.views.Row``), each as LINE. Numbers are rendered as the template
    engine renders them (``render_value_in_context``: localised, then escaped), text is escaped,
    and the messages are the ones the template's translation tags asked for, so their
    translations stand.

    Each message is translated once per page (the counted ones once per count), and each number
    localised once: the lines repeat them, and looking them up again was most of a line's time."""

    def value(value) -> str:
        return render_value_in_context(value, context)

    number = cache(value)
    rests_on = cache(
        lambda count: ngettext("bygger på %(counter)s spørsmål", "bygger på %(counter)s spørsmål", count)
    )
    too_few = cache(
        lambda count: ngettext(
            "Ingen prosent: vi kan bare sammenligne %(counter)s spørsmål, og det trengs minst "
            "%(minimum)s for å si noe.",
            "Ingen prosent: vi kan bare sammenligne %(counter)s spørsmål, og det trengs minst "
            "%(minimum)s for å si noe.",
            count,
        )
    )
    shared_rank, rank_alone = gettext("Delt %(rank)s. plass"), gettext("%(rank)s. plass")
    percent_label, other_rank_label = (
        gettext("%(percent)s %% enig"),
        gettext("Med %(metric)s: %(rank)s. plass."),
    )
    summary_label = gettext("Svar for svar: deg og %(organisation)s")
    level_of = cache(lambda level: escape(level_label(level)))
    lists, metric, minimum = AnswerLists(outcome), value(other_metric_label), value(MIN_COMPARED)
    lines = []
    for row in outcome.rows:
        organisation, match = row.organisation, row.match
        name, compared = escape(organisation.name), number(match.compared)
        rank = ""
        if match.rank:
            rank = RANK.format(rank=(shared_rank if row.tied else rank_alone) % {"rank": number(match.rank)})
        score = ""
        if row.percent is not None:
            other_rank = ""
            if row.other_rank:
                label = other_rank_label % {"metric": metric, "rank": number(row.other_rank)}
                other_rank = OTHER_RANK.format(other_rank=label)
            percent = number(row.percent)
            score = SCORE.format(
                percent_label=percent_label % {"percent": percent},
                percent=percent,
                compared=rests_on(match.compared) % {"counter": compared},
                other_rank=other_rank,
            )
        elif outcome.ranked:
            label = too_few(match.compared) % {"counter": compared, "minimum": minimum}
            score = TOO_FEW.format(too_few=label)
        level = "" if organisation.is_national else LEVEL.format(level=level_of(organisation.level))
        lines.append(
            LINE.format(
                colour=escape(organisation.party.colour),
                rank=rank,
                name=name,
                level=level,
                score=score,
                summary=summary_label % {"organisation": name},
                items=lists.items(row, name),
            )
        )
    return mark_safe("".join(lines))
