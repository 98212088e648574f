"""The valgomat's address: answers and options live in the query string only.

- ``svar=<topic slug>:<helt-enig|delvis-enig|noytral|delvis-uenig|helt-uenig>`` (repeatable; a topic
  not given is skipped; an empty value is a skipped question);
- ``viktig=<topic slug>`` (repeatable): weighted double;
- ``avstand=<manhattan|euklidsk>`` (default manhattan);
- ``niva=<national|county|municipal|youth>`` (repeatable, default national), as on the grid;
- ``steg=<n>``: the questionnaire one question at a time, at question n (1-based);
- ``side=<n>``: the result's page of the ranking (``valgomat.views.PER_PAGE`` organisations a
  page), as on the grid.

A malformed value raises ``FilterError`` (a 400 that names it); a well-formed but unknown topic slug
is the view's business (a notice). The ``*_query`` functions give each page's canonical query
string for the page cache: answers sorted by topic slug, important topics sorted and deduplicated,
defaults dropped.
"""

from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from django.http import QueryDict
from django.utils.translation import gettext as _

from positions.filters import FilterError, parse_levels, parse_page, parse_slugs, topic_pair

from .matching import ANSWERS, DEFAULT_METRIC, METRICS

DEFAULT_LEVELS = ["national"]
MAX_STEP = 500


@dataclass(frozen=True)
class Choices:
    answers: dict[str, str] = field(default_factory=dict)  # topic slug → answer, sorted by slug
    important: list[str] = field(default_factory=list)  # sorted
    metric: str = DEFAULT_METRIC
    levels: list[str] = field(default_factory=lambda: list(DEFAULT_LEVELS))

    def answer_pairs(self) -> list[tuple[str, str]]:
        pairs = [("svar", f"{topic}:{answer}") for topic, answer in self.answers.items()]
        return pairs + [("viktig", slug) for slug in self.important]

    def querystring(self, *, metric: str | None = None, levels: list[str] | None = None) -> str:
        """The result's canonical query, optionally with another measure or other levels."""
        metric = metric or self.metric
        levels = self.levels if levels is None else levels
        options = [("avstand", metric)] if metric != DEFAULT_METRIC else []
        if levels != DEFAULT_LEVELS:
            options += [("niva", level) for level in levels]
        return "&".join(query for query in (self.answers_querystring(), urlencode(options)) if query)

    def page_query(self, page: int) -> str:
        """The result's canonical query on ``page`` of the ranking (a page link)."""
        query = self.querystring()
        if page == 1:
            return query
        return f"{query}&side={page}" if query else f"side={page}"

    def answers_querystring(self) -> str:
        """Only the answers: the questionnaire prefilled with them."""
        return self._answers_query

    @cached_property
    def _answers_query(self) -> str:
        """Encoded once: a result links to itself seven times (its pages, the other measure, the
        JSON, the questionnaire), and a voter who answered thirty questions has forty pairs."""
        return urlencode(self.answer_pairs())


def parse_answers(query: QueryDict) -> dict[str, str]:
    answers = {}
    for raw in query.getlist("svar"):
        value = raw.strip().lower()
        if not value:
            continue  # "hopp over"
        if (pair := topic_pair(value, ANSWERS)) is None:
            raise FilterError(
                _(
                    "Svaret «%(value)s» er ikke forstått. Skriv det som tema:svar, for eksempel "
                    "«har:helt-enig»; svaret kan være %(choices)s."
                )
                % {"value": raw, "choices": ", ".join(ANSWERS)},
                parameter="svar",
            )
        topic, answer = pair
        if answers.get(topic, answer) != answer:
            raise FilterError(
                _("Temaet «%(topic)s» har mer enn ett svar; gi bare ett.") % {"topic": topic},
                parameter="svar",
            )
        answers[topic] = answer
    if len(answers) > 200:
        raise FilterError(_("For mange verdier for «%(name)s».") % {"name": "svar"}, parameter="svar")
    return dict(sorted(answers.items()))


def parse_metric(query: QueryDict) -> str:
    value = query.get("avstand", "").strip().lower() or DEFAULT_METRIC
    if value not in METRICS:
        raise FilterError(
            _("Avstandsmålet «%(value)s» finnes ikke. Gyldige mål er: %(choices)s.")
            % {"value": query.get("avstand"), "choices": ", ".join(METRICS)},
            parameter="avstand",
        )
    return value


def parse_choices(query: QueryDict) -> Choices:
    return Choices(
        answers=parse_answers(query),
        important=sorted(parse_slugs(query, "viktig")),
        metric=parse_metric(query),
        levels=parse_levels(query) or list(DEFAULT_LEVELS),
    )


def parse_step(query: QueryDict) -> int | None:
    """The question shown alone (1-based), or None for the whole questionnaire."""
    value = query.get("steg", "").strip()
    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) <= MAX_STEP:
        raise FilterError(
            _("Steget «%(value)s» er ikke forstått: bruk et helt tall fra 1.") % {"value": value},
            parameter="steg",
        )
    return int(value)


# --- each page's canonical query string ---------------------------------------------------------


def result_query(query: QueryDict) -> str:
    """The result page: answers, important topics, measure, levels and the page of the ranking."""
    return parse_choices(query).page_query(parse_page(query))


def result_data_query(query: QueryDict) -> str:
    """The result as JSON: the whole ranking, so never a page."""
    return parse_choices(query).querystring()


def questionnaire_query(query: QueryDict) -> str:
    """The questionnaire: the answers so far, the important topics and the step."""
    choices = Choices(answers=parse_answers(query), important=sorted(parse_slugs(query, "viktig")))
    step = parse_step(query)
    return urlencode(choices.answer_pairs() + ([("steg", str(step))] if step else []))
