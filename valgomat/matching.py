"""The valgomat's matching: one pure function, no database, no Django.

The voter's answers and the organisations' stances are placed on one scale from -1 to 1:

    helt enig  1    delvis enig  0.5    nøytral  0    delvis uenig  -0.5    helt uenig  -1
    for        1    partly       0.5                                        against     -1

A stance of ``none`` ("ikke uttalt") is not compared: it counts neither for nor against. A question
the voter skipped is not compared either. Over the questions both answered (``compared``), each
weighted ``w`` (2 when the voter marked it important, else 1)::

    manhattan:  d = Σ w·|v − p|            d_max = Σ w·2
    euklidsk:   d = √(Σ w·(v − p)²)        d_max = √(Σ w·2²)

    agreement = 100 % · (1 − d / d_max)

A score resting on fewer than ``MIN_COMPARED`` questions is not given (``score`` is None): too few
to say anything. When the voter took no side at all (every answer neutral or skipped) there is no
ranking (``Result.ranked`` is False, and no score is given): every distance would only measure
how outspoken each organisation is. Equal scores share a rank ("1, 1, 3").

The shape follows OpenVAA's matching library: a metric, an explicit policy for missing answers, and
a match that carries its own explanation (``Match.details``).
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

ANSWERS = {"helt-enig": 1.0, "delvis-enig": 0.5, "noytral": 0.0, "delvis-uenig": -0.5, "helt-uenig": -1.0}
STANCES = {"for": 1.0, "partly": 0.5, "against": -1.0}  # "none": not compared
METRICS = ("manhattan", "euklidsk")
DEFAULT_METRIC = "manhattan"
IMPORTANT_WEIGHT = 2
MIN_COMPARED = 3
MAX_DISTANCE = 2.0  # from one end of the scale to the other
# Scores closer than this are equal (floating point sums in another order differ in the last bits).
TIE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Detail:
    """One question for one organisation: what the voter said, what the organisation said."""

    topic: str
    answer: str | None  # None: skipped
    stance: str  # for | partly | against | none
    weight: int
    compared: bool


@dataclass(frozen=True)
class Match:
    organisation: str
    score: float | None  # 0–100, None when fewer than MIN_COMPARED questions were compared
    compared: int
    rank: int | None  # None when there is no score
    # What ``details`` is made from, kept rather than spelt out: a national-size ranking has
    # thousands of organisations, and a page shows the details of twenty of them.
    _explained: tuple = field(repr=False, compare=False)

    @cached_property
    def details(self) -> tuple[Detail, ...]:
        """One ``Detail`` per topic, in question order."""
        topics, answers, important, by_topic = self._explained
        details = []
        for topic in topics:
            answer, stance = answers.get(topic), by_topic.get(topic, "none")
            weight = IMPORTANT_WEIGHT if topic in important else 1
            details.append(Detail(topic, answer, stance, weight, answer in ANSWERS and stance in STANCES))
        return tuple(details)

    @property
    def too_few(self) -> bool:
        return self.score is None


@dataclass(frozen=True)
class Result:
    matches: tuple[Match, ...]  # by rank, then organisations without a score in the given order
    metric: str
    ranked: bool  # False: the voter took no side, so there is no ranking


def distance(pairs: Iterable[tuple[float, float, int]], metric: str) -> tuple[float, float]:
    """(distance, largest possible distance) over (voter, organisation, weight) triples."""
    pairs = list(pairs)
    if metric == "manhattan":
        return sum(w * abs(v - p) for v, p, w in pairs), sum(w * MAX_DISTANCE for _v, _p, w in pairs)
    if metric == "euklidsk":
        return (
            math.sqrt(sum(w * (v - p) ** 2 for v, p, w in pairs)),
            math.sqrt(sum(w * MAX_DISTANCE**2 for _v, _p, w in pairs)),
        )
    raise ValueError(f"unknown metric {metric!r}")


def match(
    *,
    topics: Iterable[str],
    answers: Mapping[str, str],
    stances: Mapping[str, Mapping[str, str]],
    important: Iterable[str] = (),
    metric: str = DEFAULT_METRIC,
) -> Result:
    """Rank organisations by agreement with the voter.

    ``topics``: topic slugs in question order; ``answers``: topic slug → answer (a key of
    ``ANSWERS``; a topic not given is skipped); ``stances``: organisation slug → {topic slug →
    stance value} (a topic not given is "none"), in the order ties and unscored organisations keep;
    ``important``: topic slugs weighted double.
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}")
    return match_each(topics=topics, answers=answers, stances=stances, important=important)[metric]


def match_each(
    *,
    topics: Iterable[str],
    answers: Mapping[str, str],
    stances: Mapping[str, Mapping[str, str]],
    important: Iterable[str] = (),
) -> dict[str, Result]:
    """``match`` with every measure (metric → Result), in one pass through the organisations: a
    result page shows the chosen measure's ranking and each organisation's rank by the other."""
    topics = list(topics)
    important = set(important)
    took_side = any(ANSWERS.get(answer, 0) != 0 for answer in answers.values())
    # Each answered question's costs, worked out once: stance → the weighted terms of ``distance``
    # (manhattan w·|v − p| and w·2, euklidsk w·(v − p)² and w·2²). Every term is a multiple of ¼,
    # so the sums are exact in any order and the scores are exactly those ``distance`` gives (a
    # test checks it); a national ranking sums them for thousands of organisations.
    costs = []
    for topic in topics:
        if (answer := answers.get(topic)) in ANSWERS:
            v, w = ANSWERS[answer], IMPORTANT_WEIGHT if topic in important else 1
            by_stance = {
                stance: (w * abs(v - p), w * MAX_DISTANCE, w * (v - p) ** 2, w * MAX_DISTANCE**2)
                for stance, p in STANCES.items()
            }
            costs.append((topic, by_stance))
    unscored, scored = [], []
    for organisation, by_topic in stances.items():
        d = d_max = d2 = d2_max = 0.0
        compared = 0
        for topic, by_stance in costs:
            cost = by_stance.get(by_topic.get(topic))
            if cost is not None:
                d += cost[0]
                d_max += cost[1]
                d2 += cost[2]
                d2_max += cost[3]
                compared += 1
        explained = (topics, answers, important, by_topic)
        if took_side and compared >= MIN_COMPARED:
            scores = {
                "manhattan": 100 * (1 - d / d_max),
                "euklidsk": 100 * (1 - math.sqrt(d2) / math.sqrt(d2_max)),
            }
            scored.append((organisation, scores, compared, explained))
        else:
            unscored.append((organisation, None, compared, explained))
    return {metric: _ranked(metric, scored, unscored, took_side) for metric in METRICS}


def _ranked(metric: str, scored: list, unscored: list, took_side: bool) -> Result:
    """Scored organisations by ``metric``'s score (equal scores share a rank and keep the given
    order), then the unscored ones in the given order."""
    by_score = sorted(scored, key=lambda entry: -entry[1][metric])  # stable
    matches, rank, previous = [], 0, None
    for position, (organisation, scores, compared, explained) in enumerate(by_score, start=1):
        score = scores[metric]
        if previous is None or abs(score - previous) > TIE_TOLERANCE:
            rank, previous = position, score
        matches.append(Match(organisation, score, compared, rank, explained))
    matches += [Match(o, None, compared, None, explained) for o, _s, compared, explained in unscored]
    return Result(matches=tuple(matches), metric=metric, ranked=took_side)
