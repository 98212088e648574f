"""The valgomat's pages: the questions, the result, and the result as data.

Every page is public, cached and cookie-free (``public_page``): the voter's answers live in the
address only, nothing is stored. Stances are read with ``positions.grid.build_grid``, the grid's
published-only read; the matching is ``valgomat.matching.match``.
"""

from dataclasses import dataclass

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from parties.models import Organisation
from positions.filters import LEVELS, FilterError, parse_slugs
from positions.grid import Cell, build_grid
from positions.models import Topic
from ruspolitikk.badrequests import bad_request
from ruspolitikk.pagecache import public_page, wants_fragment

from . import matching
from .filters import Choices, parse_answers, parse_choices, parse_step, questionnaire_query, result_query
from .questions import Question, questions

ANSWER_LABELS = {
    "helt-enig": _("Helt enig"),
    "delvis-enig": _("Delvis enig"),
    "noytral": _("Nøytral"),
    "delvis-uenig": _("Delvis uenig"),
    "helt-uenig": _("Helt uenig"),
}


def answer_choices() -> list[tuple[str, str]]:
    """(value, label) of the answer scale, "hopp over" last (its value is empty: skipped)."""
    return [*ANSWER_LABELS.items(), ("", _("Hopp over"))]


# --- the questions ----------------------------------------------------------------------------


@public_page(questionnaire_query)
@require_safe
@vary_on_headers("HX-Request")
def questionnaire(request):
    try:
        answers = parse_answers(request.GET)
        important = sorted(parse_slugs(request.GET, "viktig"))
        step = parse_step(request.GET)
    except FilterError as error:
        return bad_request(request, str(error))
    topics = list(Topic.objects.all())
    known = {topic.slug for topic in topics}
    choices = Choices(
        answers={slug: value for slug, value in answers.items() if slug in known},
        important=[slug for slug in important if slug in known],
    )
    all_questions = questions(topics, answers=choices.answers, important=choices.important)
    if step is not None and step > len(all_questions):
        # Past the last question: the result, with the answers given.
        url = reverse("valgomat:result") + (f"?{choices.querystring()}" if choices.answers else "")
        return HttpResponseClientRedirect(url) if wants_fragment(request) else HttpResponseRedirect(url)
    current = all_questions[step - 1] if step else None
    context = {
        "questions": all_questions,
        "current": current,
        "others": [q for q in all_questions if q is not current],
        "step": step,
        "total": len(all_questions),
        "answer_choices": answer_choices(),
        "answers_query": choices.answers_querystring(),
        "unknown_topics": [slug for slug in [*answers, *important] if slug not in known],
    }
    template = "valgomat/questionnaire.html"
    return render(request, f"{template}#steps" if wants_fragment(request) else template, context)


# --- the result -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """One question on one organisation's line of the result."""

    question: Question
    detail: matching.Detail
    cell: Cell

    @property
    def answer_label(self) -> str:
        return ANSWER_LABELS.get(self.detail.answer, "")


@dataclass(frozen=True)
class Row:
    organisation: Organisation
    match: matching.Match
    other_rank: int | None  # the rank the other distance measure gives
    tied: bool  # shares its rank with another organisation
    items: list[Item]

    @property
    def percent(self) -> int | None:
        return None if self.match.score is None else round(self.match.score)


@dataclass(frozen=True)
class Outcome:
    choices: Choices
    topics: list[Topic]
    questions: list[Question]
    rows: list[Row]
    ranked: bool
    unknown_topics: list[str]
    other_metric: str


def compute(choices: Choices) -> Outcome:
    """Read the published stances once and match the voter's answers against them."""
    levels = None if choices.levels == LEVELS else choices.levels
    grid = build_grid(levels=levels, with_quotes=False)  # the panel shows the quotes
    topics = grid.topics
    known = {topic.slug for topic in topics}
    answers = {slug: value for slug, value in choices.answers.items() if slug in known}
    important = [slug for slug in choices.important if slug in known]
    unknown = [slug for slug in [*choices.answers, *choices.important] if slug not in known]
    all_questions = questions(topics, answers=answers, important=important)
    rows_by_slug = {organisation.slug: (organisation, cells) for organisation, cells in grid.rows()}
    stances = {
        slug: {cell.topic.slug: cell.value for cell in cells} for slug, (_o, cells) in rows_by_slug.items()
    }
    slugs = [topic.slug for topic in topics]
    result = matching.match(
        topics=slugs, answers=answers, stances=stances, important=important, metric=choices.metric
    )
    other_metric = next(m for m in matching.METRICS if m != choices.metric)
    other = matching.match(
        topics=slugs, answers=answers, stances=stances, important=important, metric=other_metric
    )
    other_ranks = {m.organisation: m.rank for m in other.matches}
    ranks = [m.rank for m in result.matches if m.rank is not None]
    rows = []
    for match in result.matches:
        organisation, cells = rows_by_slug[match.organisation]
        items = [Item(q, d, c) for q, d, c in zip(all_questions, match.details, cells, strict=True)]
        tied = match.rank is not None and ranks.count(match.rank) > 1
        rows.append(Row(organisation, match, other_ranks.get(match.organisation), tied, items))
    return Outcome(choices, topics, all_questions, rows, result.ranked, unknown, other_metric)


@public_page(result_query)
@require_safe
def result(request):
    try:
        choices = parse_choices(request.GET)
    except FilterError as error:
        return bad_request(request, str(error))
    outcome = compute(choices)
    context = {
        "outcome": outcome,
        "choices": choices,
        "metrics": [(m, METRIC_LABELS[m]) for m in matching.METRICS],
        "metric_label": METRIC_LABELS[choices.metric],
        "other_metric_label": METRIC_LABELS[outcome.other_metric],
        "other_metric_query": choices.querystring(metric=outcome.other_metric),
        "levels": LEVELS,
        "answers_query": choices.answers_querystring(),
        "json_query": choices.querystring(),
        "min_compared": matching.MIN_COMPARED,
        "answered": sum(1 for q in outcome.questions if q.answer),
    }
    return render(request, "valgomat/result.html", context)


# Mid-sentence ("Denne rangeringen bruker euklidsk avstand"); capitalised where they start a label.
class MarkupSafeJSONEncoder(DjangoJSONEncoder):
    """JSON whose strings can never be read as markup, whatever a client sniffs."""

    def encode(self, o):
        return super().encode(o).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


METRIC_LABELS = {"manhattan": _("bykvartalavstand (manhattan)"), "euklidsk": _("euklidsk avstand")}


@public_page(result_query)
@require_safe
def result_json(request):
    try:
        choices = parse_choices(request.GET)
    except FilterError as error:
        # The message quotes the value it did not understand: <, > and & go out as \u escapes.
        return JsonResponse(
            {"error": str(error), "parameter": error.parameter}, status=400, encoder=MarkupSafeJSONEncoder
        )
    outcome = compute(choices)
    data = {
        "method": {
            "distance": choices.metric,
            "scale": {"answers": matching.ANSWERS, "stances": {**matching.STANCES, "none": None}},
            "important_weight": matching.IMPORTANT_WEIGHT,
            "min_compared": matching.MIN_COMPARED,
            "formula": FORMULAS[choices.metric],
            "ranked": outcome.ranked,
            "documentation": request.build_absolute_uri(reverse("positions:method")) + "#valgomat",
        },
        "answers": {q.slug: q.answer for q in outcome.questions if q.answer},
        "important": [q.slug for q in outcome.questions if q.important],
        "levels": choices.levels,
        "unknown_topics": outcome.unknown_topics,
        "results": [
            {
                "organisation": row.organisation.slug,
                "name": row.organisation.name,
                "level": row.organisation.level,
                "score": row.percent,
                "score_exact": row.match.score,
                "compared": row.match.compared,
                "rank": row.match.rank,
                "questions": [
                    {
                        "topic": item.question.slug,
                        "answer": item.detail.answer,
                        "stance": item.detail.stance,
                        "weight": item.detail.weight,
                        "compared": item.detail.compared,
                        "evidence": request.build_absolute_uri(item.cell.url),
                    }
                    for item in row.items
                ],
            }
            for row in outcome.rows
        ],
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})


FORMULAS = {
    "manhattan": "score = 100 * (1 - sum(w*|v-p|) / sum(w*2))",
    "euklidsk": "score = 100 * (1 - sqrt(sum(w*(v-p)^2)) / sqrt(sum(w*4)))",
}
