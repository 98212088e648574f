"""The valgomat's pages: the questions, the result, and the result as data.

Every page is public, cached and cookie-free (``public_page``): the voter's answers live in the
address only, nothing is stored. Stances are read by ``valgomat.standings`` (the grid's
published-only rule as a table of stance codes, shared between voters until the data changes, and
read again by the request that publishes: ``valgomat.warming``); the matching is
``valgomat.matching.match_table``. The ranking is shown ``PER_PAGE`` organisations a page
(``side``), the JSON gives all of it.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from parties.models import Organisation
from positions.addresses import address_parts
from positions.filters import LEVELS, FilterError, parse_page, parse_slugs
from positions.grid import page_count
from positions.models import Topic
from positions.views import page_links, page_not_found
from ruspolitikk.badrequests import bad_request
from ruspolitikk.pagecache import public_page, wants_fragment

from . import matching
from .filters import (
    Choices,
    parse_answers,
    parse_choices,
    parse_step,
    questionnaire_query,
    result_data_query,
    result_query,
)
from .questions import Question, questions
from .standings import Ranked, Standings, standings

PER_PAGE = 20  # organisations a page of the ranking shows in full

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
class Row:
    """An organisation on the page shown, rendered by ``valgomat.templatetags.valgomat.result_lines``.
    Its answer list is made from ``match.stances`` and the outcome's questions: nothing is made per
    question and organisation but the markup."""

    organisation: Organisation
    match: matching.Match
    other_rank: int | None  # the rank the other distance measure gives
    tied: bool  # shares its rank with another organisation (on this page or another)

    @property
    def percent(self) -> int | None:
        return None if self.match.score is None else round(self.match.score)


@dataclass(frozen=True)
class CellAddresses:
    """The cell page's address (``positions:cell``) for an organisation and a topic slug, reversed
    once rather than once per question and organisation (slugs are URL-safe as they are): the
    address is ``before``, the organisation, ``between``, the topic and ``after``."""

    before: str
    between: str
    after: str

    def __call__(self, organisation: str, topic: str) -> str:
        return f"{self.before}{organisation}{self.between}{topic}{self.after}"


@dataclass(frozen=True)
class Outcome:
    choices: Choices
    topics: list[Topic]
    questions: list[Question]
    ranking: Sequence[matching.Match]  # every organisation of the chosen levels, in rank order
    standings: Standings
    rows: list[Row]  # the page shown, in full
    ranked: bool
    unknown_topics: list[str]
    other_metric: str
    cell_url: CellAddresses  # (organisation slug, topic slug) → the cell's address
    page: int = 1
    per_page: int | None = None

    @cached_property
    def organisations(self) -> dict[str, Ranked]:
        """Every ranked organisation by slug (the JSON's names and levels; a page needs none)."""
        return self.standings.ranked()

    @property
    def num_pages(self) -> int:
        return page_count(len(self.ranking), self.per_page) if self.per_page else 1


# Stand-ins for the two slugs of the cell address (slugs themselves, so the URL pattern accepts them).
def cell_addresses() -> CellAddresses:
    """The cell addresses in the current language."""
    return CellAddresses(*address_parts("positions:cell", 2))


def compute(
    choices: Choices, *, page: int | None = None, per_page: int = PER_PAGE, fresh: bool = False
) -> Outcome:
    """Rank every organisation of the chosen levels; ``page`` (1-based, of ``per_page``) chooses the
    rows shown in full (``None``: none, the JSON needs only the ranking). Four queries at most,
    whatever the number of organisations: the topics, the organisations and their shown stance
    values (``valgomat.standings``: none while the data has not changed since another voter's
    result read them), and the shown page's organisations with their party. Beyond the page no
    model object is made, nor any ``Match``, nor anything by organisation: a national ranking has
    thousands."""
    topics = list(Topic.objects.all())
    topic_by_id = {topic.pk: topic.slug for topic in topics}
    read = standings(None if choices.levels == LEVELS else choices.levels, topic_by_id, fresh=fresh)

    known = set(topic_by_id.values())
    answers = {slug: value for slug, value in choices.answers.items() if slug in known}
    important = [slug for slug in choices.important if slug in known]
    unknown = [slug for slug in [*choices.answers, *choices.important] if slug not in known]
    all_questions = questions(topics, answers=answers, important=important)
    slugs = [topic.slug for topic in topics]
    other_metric = next(m for m in matching.METRICS if m != choices.metric)
    results = matching.match_table(topics=slugs, answers=answers, table=read.table, important=important)
    result, other = results[choices.metric], results[other_metric]

    shown = result.order[(page - 1) * per_page : page * per_page].tolist() if page is not None else []
    models = Organisation.objects.select_related("party").in_bulk([read.pks[row] for row in shown])
    if len(models) < len(shown) and not fresh:
        # An organisation of the kept standings is gone: data changed without a new version (a
        # database replaced under the cache). Never a 500: read them again.
        return compute(choices, page=page, per_page=per_page, fresh=True)
    cell_url = cell_addresses()
    rows = []
    for row in shown:
        organisation = models.get(read.pks[row])
        if organisation is None:
            continue  # deleted since the ranking was read afresh a moment ago
        match = result.match_of(row)
        tied = match.rank is not None and result.shares_rank(match.rank)
        rows.append(Row(organisation, match, other.rank_of(row), tied))
    return Outcome(
        choices=choices,
        topics=topics,
        questions=all_questions,
        ranking=result.matches,
        standings=read,
        rows=rows,
        ranked=result.ranked,
        unknown_topics=unknown,
        other_metric=other_metric,
        cell_url=cell_url,
        page=page or 1,
        per_page=per_page if page is not None else None,
    )


@public_page(result_query)
@require_safe
@vary_on_headers("HX-Request")
def result(request):
    try:
        choices = parse_choices(request.GET)
        page = parse_page(request.GET)
    except FilterError as error:
        return bad_request(request, str(error))
    outcome = compute(choices, page=page)
    if page > outcome.num_pages:
        return page_not_found(
            request,
            _("Rangeringen har bare %(pages)s sider, så side %(page)s finnes ikke.")
            % {"pages": outcome.num_pages, "page": page},
        )
    first = (page - 1) * PER_PAGE + 1
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
        "first": first,
        "pages": page_links(page, outcome.num_pages, choices.page_query),
        "shown_range": {
            "first": number_format(first, force_grouping=True),
            "last": number_format(first + len(outcome.rows) - 1, force_grouping=True),
            "total": number_format(len(outcome.ranking), force_grouping=True),
        },
    }
    template = "valgomat/result.html"
    return render(request, f"{template}#ranking" if wants_fragment(request) else template, context)


# Mid-sentence ("Denne rangeringen bruker euklidsk avstand"); capitalised where they start a label.
class MarkupSafeJSONEncoder(DjangoJSONEncoder):
    """JSON whose strings can never be read as markup, whatever a client sniffs."""

    def encode(self, o):
        return super().encode(o).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


METRIC_LABELS = {"manhattan": _("bykvartalavstand (manhattan)"), "euklidsk": _("euklidsk avstand")}


@public_page(result_data_query)
@require_safe
def result_json(request):
    try:
        choices = parse_choices(request.GET)
    except FilterError as error:
        # The message quotes the value it did not understand: <, > and & go out as \u escapes.
        return JsonResponse(
            {"error": str(error), "parameter": error.parameter}, status=400, encoder=MarkupSafeJSONEncoder
        )
    outcome = compute(choices, page=None)
    evidence = request.build_absolute_uri("/").rstrip(
        "/"
    )  # the site's origin: the cells' own addresses follow
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
                "organisation": match.organisation,
                "name": outcome.organisations[match.organisation].name,
                "level": outcome.organisations[match.organisation].level,
                "score": None if match.score is None else round(match.score),
                "score_exact": match.score,
                "compared": match.compared,
                "rank": match.rank,
                "questions": [
                    {
                        "topic": detail.topic,
                        "answer": detail.answer,
                        "stance": detail.stance,
                        "weight": detail.weight,
                        "compared": detail.compared,
                        "evidence": f"{evidence}{outcome.cell_url(match.organisation, detail.topic)}",
                    }
                    for detail in match.details
                ],
            }
            for match in outcome.ranking
        ],
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})


FORMULAS = {
    "manhattan": "score = 100 * (1 - sum(w*|v-p|) / sum(w*2))",
    "euklidsk": "score = 100 * (1 - sqrt(sum(w*(v-p)^2)) / sqrt(sum(w*4)))",
}
