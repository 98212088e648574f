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

A national ranking has thousands of organisations and every voter is a new one, so the sums are
taken over a ``StanceTable`` (organisations × topics, each cell a stance's index in
``STANCE_CODES``) with numpy: each answered question's weighted terms of ``distance``, worked out
once per stance, are summed per organisation as a product of matrices (where each stance was
taken, times its terms). ``distance`` stays the formula's plain statement, and a test checks every
score against it. A ``Result``'s matches are made when they are read: a page shows twenty of them.
"""

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

ANSWERS = {"helt-enig": 1.0, "delvis-enig": 0.5, "noytral": 0.0, "delvis-uenig": -0.5, "helt-uenig": -1.0}
STANCES = {"for": 1.0, "partly": 0.5, "against": -1.0}  # "none": not compared
STANCE_CODES = ("none", *STANCES)  # a StanceTable's cells: the stance's index here
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
        topics, answers, important, _by_topic = self._explained
        details = []
        for topic, stance in zip(topics, self.stances, strict=True):
            answer = answers.get(topic)
            weight = IMPORTANT_WEIGHT if topic in important else 1
            details.append(Detail(topic, answer, stance, weight, answer in ANSWERS and stance in STANCES))
        return tuple(details)

    @property
    def stances(self) -> list[str]:
        """The organisation's stance on each topic, in question order: what a page's answer list
        needs of ``details`` (the rest is the voter's, the same on every line)."""
        topics, _answers, _important, by_topic = self._explained
        return [by_topic.get(topic, "none") for topic in topics]

    @property
    def too_few(self) -> bool:
        return self.score is None


class Matches(Sequence[Match]):
    """A ranking's matches in rank order (scored ones by score, then the unscored in the given
    order), each ``Match`` made when it is read. The order stays an array until then: a page only
    counts the ranking, and a list of thousands of rows was one more object for every garbage
    collection of the request to walk through."""

    def __init__(self, order: np.ndarray, result: "Result"):
        self._order, self._result = order, result

    def __len__(self) -> int:
        return len(self._order)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return tuple(self._result.match_of(row) for row in self._order[index].tolist())
        return self._result.match_of(int(self._order[index]))

    def __iter__(self) -> Iterator[Match]:
        return (self._result.match_of(row) for row in self._order.tolist())


@dataclass(frozen=True, eq=False)
class StanceTable:
    """What every organisation said on every topic, as the matching sums it: ``codes[row, column]``
    is the index in ``STANCE_CODES`` of ``organisations[row]``'s stance on ``topics[column]``."""

    organisations: tuple[str, ...]  # slugs, in the order ties and unscored organisations keep
    topics: tuple[str, ...]
    codes: np.ndarray  # uint8, len(organisations) × len(topics); 0: not stated

    @classmethod
    def from_stances(cls, topics: Iterable[str], stances: Mapping[str, Mapping[str, str]]) -> "StanceTable":
        """From organisation slug → {topic slug → stance value} (a topic not given is "none")."""
        topics = tuple(topics)
        column = {topic: index for index, topic in enumerate(topics)}
        code = {stance: index for index, stance in enumerate(STANCE_CODES)}
        codes = np.zeros((len(stances), len(topics)), dtype=np.uint8)
        for row, by_topic in enumerate(stances.values()):
            for topic, stance in by_topic.items():
                if topic in column:
                    codes[row, column[topic]] = code.get(stance, 0)
        return cls(tuple(stances), topics, codes)

    def stances_of(self, row: int) -> dict[str, str]:
        """topic slug → stance value of the stated stances of the organisation in ``row``."""
        return {
            topic: STANCE_CODES[code]
            for topic, code in zip(self.topics, self.codes[row].tolist(), strict=True)
            if code
        }


@dataclass(frozen=True, eq=False)
class Result:
    """One measure's ranking of a ``StanceTable``'s organisations, as arrays by row of the table."""

    metric: str
    ranked: bool  # False: the voter took no side, so there is no ranking
    table: StanceTable
    order: np.ndarray  # the rows by rank, then the rows without a score in the table's order
    scores: np.ndarray  # float by row; NaN: no score
    ranks: np.ndarray  # int by row; 0: no rank
    compared: np.ndarray  # int by row
    _explaining: tuple = field(repr=False)  # (topics, answers, important): Match._explained but the stances

    @property
    def matches(self) -> Matches:
        return Matches(self.order, self)

    def rank_of(self, row: int) -> int | None:
        return int(self.ranks[row]) or None

    def match_of(self, row: int) -> Match:
        score = float(self.scores[row])
        return Match(
            self.table.organisations[row],
            None if math.isnan(score) else score,
            int(self.compared[row]),
            self.rank_of(row),
            (*self._explaining, self.table.stances_of(row)),
        )

    def shares_rank(self, rank: int) -> bool:
        """More than one organisation has ``rank`` (on any page of the ranking). A rank is the
        position of the first of the organisations that share it, so it is shared exactly when the
        organisation after that position has it too."""
        return rank < len(self.order) and self.ranks[self.order[rank]] == rank


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
    """``match`` with every measure (metric → Result): a result page shows the chosen measure's
    ranking and each organisation's rank by the other."""
    topics = list(topics)
    table = StanceTable.from_stances(topics, stances)
    return match_table(topics=topics, answers=answers, table=table, important=important)


def match_table(
    *,
    topics: Iterable[str],
    answers: Mapping[str, str],
    table: StanceTable,
    important: Iterable[str] = (),
) -> dict[str, Result]:
    """``match_each`` over a ``StanceTable`` (the organisations in its order): the one place the
    ranking is worked out. ``topics`` are the questions in order (a table topic not among them is
    not compared, a topic not in the table is "none" for every organisation)."""
    topics = list(topics)
    important = set(important)
    took_side = any(ANSWERS.get(answer, 0) != 0 for answer in answers.values())
    # Each answered question's weighted terms, by stance: manhattan w·|v − p| and w·2, euklidsk
    # w·(v − p)² and w·2², and 1 to count it compared; zero for "none" and unasked questions.
    # Every term is a multiple of ¼, so the sums are exact in any order and each score is exactly
    # what ``distance`` gives over the same questions (a test checks it).
    costs = np.zeros((len(table.topics), len(STANCE_CODES), 5))
    asked = set(topics)
    for column, topic in enumerate(table.topics):
        if topic in asked and (answer := answers.get(topic)) in ANSWERS:
            v, w = ANSWERS[answer], IMPORTANT_WEIGHT if topic in important else 1
            for code, p in enumerate(STANCES.values(), start=1):
                costs[column, code] = (
                    w * abs(v - p),
                    w * MAX_DISTANCE,
                    w * (v - p) ** 2,
                    w * MAX_DISTANCE**2,
                    1,
                )
    # Each row's sums: for each stance, the cells that hold it (a mask) times its column's terms
    # ("none" adds nothing). Gathering every cell's five terms instead was most of the ranking's
    # time at national size (90,000 cells): 0.75 ms against 0.17.
    sums = sum((table.codes == code) @ costs[:, code] for code in range(1, len(STANCE_CODES)))
    d, d_max, d2, d2_max, compared = sums.T
    scored = compared >= MIN_COMPARED if took_side else np.zeros(len(table.organisations), dtype=bool)
    rows = np.flatnonzero(scored)
    scores = {
        "manhattan": 100 * (1 - d[rows] / d_max[rows]),
        "euklidsk": 100 * (1 - np.sqrt(d2[rows]) / np.sqrt(d2_max[rows])),
    }
    unscored = np.flatnonzero(~scored)  # in the table's order
    explaining = (topics, answers, important)
    return {
        metric: _ranked(
            metric, rows, scores[metric], unscored, compared.astype(int), table, took_side, explaining
        )
        for metric in METRICS
    }


def _ranked(metric, rows, scores, unscored, compared, table, took_side, explaining) -> Result:
    """Scored ``rows`` by their ``scores`` (equal scores share a rank and keep the table's order),
    then the ``unscored`` rows."""
    by_score = np.argsort(-scores, kind="stable")  # stable: ties keep the table's order
    rows, scores = rows[by_score], scores[by_score]
    score_by_row = np.full(len(table.organisations), np.nan)
    rank_by_row = np.zeros(len(table.organisations), dtype=int)
    score_by_row[rows], rank_by_row[rows] = scores, _ranks(scores)
    order = np.concatenate([rows, unscored])
    return Result(metric, took_side, table, order, score_by_row, rank_by_row, compared, explaining)


def _ranks(scores: np.ndarray) -> np.ndarray:
    """The rank of each of ``scores`` (highest first), as the module's rule gives it: a score more
    than ``TIE_TOLERANCE`` below the first score of the current rank starts a new rank at its
    position (1-based); the plain loop at the end says it one score at a time.

    Without the loop: a rank starts where a score is more than the tolerance below the one before
    it. That is the loop's answer whenever none of those runs spreads wider than the tolerance from
    its first score, which is checked: equal scores differ in the last bits only, different ones by
    far more (the loop takes any other case)."""
    if len(scores) == 0:
        return np.zeros(0, dtype=int)
    starts = np.flatnonzero(np.r_[True, scores[:-1] - scores[1:] > TIE_TOLERANCE])
    ends = np.r_[starts[1:], len(scores)]
    if np.all(scores[starts] - scores[ends - 1] <= TIE_TOLERANCE):
        return np.repeat(starts + 1, ends - starts)
    ranks, rank, previous = np.zeros(len(scores), dtype=int), 0, None
    for position, score in enumerate(scores.tolist(), start=1):
        if previous is None or abs(score - previous) > TIE_TOLERANCE:
            rank, previous = position, score
        ranks[position - 1] = rank
    return ranks
