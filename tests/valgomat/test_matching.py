"""The one pure matching function: the scale, weighting, both metrics, and what is not compared."""

import math

import pytest

from valgomat.matching import MIN_COMPARED, match

TOPICS = ["a", "b", "c", "d"]


def scores(result) -> dict[str, float | None]:
    return {m.organisation: m.score for m in result.matches}


def test_full_agreement_is_100_and_full_disagreement_is_0():
    result = match(
        topics=TOPICS,
        answers={"a": "helt-enig", "b": "helt-enig", "c": "helt-uenig"},
        stances={
            "same": {"a": "for", "b": "for", "c": "against"},
            "opposite": {"a": "against", "b": "against", "c": "for"},
        },
    )
    assert scores(result) == {"same": 100.0, "opposite": 0.0}
    assert [m.rank for m in result.matches] == [1, 2]


def test_manhattan_is_the_share_of_the_largest_distance():
    # |1 - 0.5| + |0.5 - 1| + |-1 - -1| = 1 of a possible 6: 83.3 %
    result = match(
        topics=TOPICS,
        answers={"a": "helt-enig", "b": "delvis-enig", "c": "helt-uenig"},
        stances={"x": {"a": "partly", "b": "for", "c": "against"}},
    )
    assert result.matches[0].score == pytest.approx(100 * (1 - 1 / 6))


def test_euclidean_differs_from_manhattan_on_the_same_answers():
    answers = {"a": "helt-enig", "b": "delvis-enig", "c": "helt-uenig"}
    stances = {"x": {"a": "partly", "b": "for", "c": "against"}}
    euclidean = match(topics=TOPICS, answers=answers, stances=stances, metric="euklidsk").matches[0].score
    assert euclidean == pytest.approx(100 * (1 - math.sqrt(0.5) / math.sqrt(12)))
    assert euclidean != match(topics=TOPICS, answers=answers, stances=stances).matches[0].score


def test_the_metric_can_change_the_ranking():
    # "spread": a little off everywhere; "one-miss": exact but for one opposite answer.
    answers = {t: "helt-enig" for t in "abcdefgh"}
    stances = {
        "one-miss": {**{t: "for" for t in "abcdefg"}, "h": "against"},
        "spread": {t: "partly" for t in "abcdefgh"},
    }
    manhattan = match(topics="abcdefgh", answers=answers, stances=stances)
    euclidean = match(topics="abcdefgh", answers=answers, stances=stances, metric="euklidsk")
    assert [m.organisation for m in manhattan.matches] == ["one-miss", "spread"]
    assert [m.organisation for m in euclidean.matches] == ["spread", "one-miss"]


def test_skipped_questions_and_unstated_stances_are_not_compared():
    result = match(
        topics=TOPICS,
        answers={"a": "helt-enig", "b": "helt-enig", "c": "helt-enig"},  # d skipped
        stances={"x": {"a": "for", "b": "for", "c": "none", "d": "against"}},
    )
    only = result.matches[0]
    assert only.compared == 2
    assert [d.compared for d in only.details] == [True, True, False, False]
    assert only.details[3].answer is None


def test_unstated_counts_neither_for_nor_against():
    answers = {"a": "helt-enig", "b": "helt-enig", "c": "helt-enig", "d": "helt-enig"}
    result = match(
        topics=TOPICS,
        answers=answers,
        stances={
            "silent-on-d": {"a": "for", "b": "for", "c": "for", "d": "none"},
            "all": dict.fromkeys(TOPICS, "for"),
        },
    )
    assert scores(result) == {"silent-on-d": 100.0, "all": 100.0}


def test_fewer_than_three_compared_questions_give_no_score_and_no_rank():
    result = match(
        topics=TOPICS,
        answers=dict.fromkeys(TOPICS, "helt-enig"),
        stances={"few": {"a": "for", "b": "for"}, "enough": {"a": "for", "b": "against", "c": "for"}},
    )
    assert MIN_COMPARED == 3
    assert [(m.organisation, m.rank) for m in result.matches] == [("enough", 1), ("few", None)]
    few = result.matches[1]
    assert few.score is None and few.too_few and few.compared == 2


def test_ties_share_a_rank_and_the_next_rank_skips():
    answers = dict.fromkeys("abc", "helt-enig")
    result = match(
        topics="abc",
        answers=answers,
        stances={
            "first": dict.fromkeys("abc", "for"),
            "tie-1": {"a": "for", "b": "for", "c": "against"},
            "tie-2": {"a": "against", "b": "for", "c": "for"},
            "last": dict.fromkeys("abc", "against"),
        },
    )
    assert [(m.organisation, m.rank) for m in result.matches] == [
        ("first", 1),
        ("tie-1", 2),
        ("tie-2", 2),
        ("last", 4),
    ]


def test_important_questions_weigh_double():
    answers = dict.fromkeys("abc", "helt-enig")
    stances = {
        "agrees-on-a": {"a": "for", "b": "against", "c": "against"},
        "agrees-on-b": {"a": "against", "b": "for", "c": "against"},
    }
    plain = match(topics="abc", answers=answers, stances=stances)
    assert plain.matches[0].rank == plain.matches[1].rank == 1
    weighted = match(topics="abc", answers=answers, stances=stances, important=["a"])
    assert [m.organisation for m in weighted.matches] == ["agrees-on-a", "agrees-on-b"]
    # a weighs 2: distance 0*2 + 2 + 2 = 4 of 2*2 + 2 + 2 = 8
    assert weighted.matches[0].score == pytest.approx(50.0)
    assert weighted.matches[0].details[0].weight == 2


def test_an_all_neutral_voter_gets_no_ranking():
    result = match(
        topics=TOPICS,
        answers=dict.fromkeys(TOPICS, "noytral"),
        stances={"x": dict.fromkeys(TOPICS, "for"), "y": dict.fromkeys(TOPICS, "partly")},
    )
    assert not result.ranked
    assert all(m.score is None and m.rank is None for m in result.matches)
    assert [m.compared for m in result.matches] == [4, 4]


def test_an_all_skipped_voter_gets_no_ranking():
    result = match(topics=TOPICS, answers={}, stances={"x": dict.fromkeys(TOPICS, "for")})
    assert not result.ranked
    assert result.matches[0].score is None and result.matches[0].compared == 0


def test_neutral_answers_count_once_the_voter_takes_a_side():
    result = match(
        topics=TOPICS,
        answers={"a": "helt-enig", "b": "noytral", "c": "noytral"},
        stances={"x": {"a": "for", "b": "for", "c": "against"}},
    )
    assert result.ranked
    assert result.matches[0].score == pytest.approx(100 * (1 - 2 / 6))


def test_an_unknown_metric_is_refused():
    with pytest.raises(ValueError):
        match(topics=TOPICS, answers={}, stances={}, metric="chebyshev")


@pytest.mark.parametrize("metric", ["manhattan", "euklidsk"])
def test_every_score_is_the_distance_formula_over_the_compared_questions(metric):
    """The ranking sums per-question costs (fast at thousands of organisations); each score must be
    exactly what ``distance`` gives over the same questions, skipped and unstated ones left out."""
    import random

    from valgomat.matching import ANSWERS, IMPORTANT_WEIGHT, STANCES, distance

    rng = random.Random(7)
    topics = [f"t{i}" for i in range(12)]
    answers = {t: rng.choice([*ANSWERS, "skip"]) for t in topics}
    answers = {t: a for t, a in answers.items() if a != "skip"}
    important = set(rng.sample(topics, 4))
    stances = {
        f"o{n}": {t: rng.choice([*STANCES, "none"]) for t in topics if rng.random() < 0.8} for n in range(300)
    }
    result = match(topics=topics, answers=answers, stances=stances, important=important, metric=metric)
    checked = 0
    for m in result.matches:
        pairs = [
            (
                ANSWERS[answers[t]],
                STANCES[stances[m.organisation][t]],
                IMPORTANT_WEIGHT if t in important else 1,
            )
            for t in topics
            if t in answers and stances[m.organisation].get(t) in STANCES
        ]
        assert m.compared == len(pairs)
        assert [d.compared for d in m.details].count(True) == len(pairs)
        if m.score is not None:
            d, d_max = distance(pairs, metric)
            assert m.score == 100 * (1 - d / d_max)  # exactly: every term is a multiple of 1/4
            checked += 1
    assert checked > 250


def reference_ranking(topics, answers, stances, important, metric):
    """The ranking spelt out from ``distance`` one organisation at a time, as the module's
    docstring states it: (organisation, score, compared, rank) in rank order."""
    from valgomat.matching import ANSWERS, IMPORTANT_WEIGHT, STANCES, TIE_TOLERANCE, distance

    took_side = any(ANSWERS[a] != 0 for a in answers.values())
    scored, unscored = [], []
    for organisation, by_topic in stances.items():
        pairs = [
            (ANSWERS[answers[t]], STANCES[by_topic[t]], IMPORTANT_WEIGHT if t in important else 1)
            for t in topics
            if t in answers and by_topic.get(t) in STANCES
        ]
        if took_side and len(pairs) >= MIN_COMPARED:
            d, d_max = distance(pairs, metric)
            scored.append((organisation, 100 * (1 - d / d_max), len(pairs)))
        else:
            unscored.append((organisation, None, len(pairs), None))
    ranking, rank, previous = [], 0, None
    for position, (organisation, score, compared) in enumerate(sorted(scored, key=lambda s: -s[1]), 1):
        if previous is None or abs(score - previous) > TIE_TOLERANCE:
            rank, previous = position, score
        ranking.append((organisation, score, compared, rank))
    return ranking + unscored


@pytest.mark.parametrize("metric", ["manhattan", "euklidsk"])
@pytest.mark.parametrize("seed", [1, 2])
def test_a_national_size_ranking_is_the_reference_ranking_exactly(metric, seed):
    """3,000 organisations × 30 questions, as the national set: the same scores to the last bit,
    the same order, the same shared ranks (thousands of ties) and the same unscored tail."""
    import random

    from valgomat.matching import ANSWERS, STANCES

    rng = random.Random(seed)
    topics = [f"t{i}" for i in range(30)]
    answers = {t: a for t in topics if (a := rng.choice([*ANSWERS, "skip"])) != "skip"}
    important = set(rng.sample(topics, 7))
    stances = {
        f"o{n}": {t: rng.choice([*STANCES, "none"]) for t in topics if rng.random() < rng.choice([0.05, 0.9])}
        for n in range(3000)
    }
    result = match(topics=topics, answers=answers, stances=stances, important=important, metric=metric)
    found = [(m.organisation, m.score, m.compared, m.rank) for m in result.matches]
    expected = reference_ranking(topics, answers, stances, important, metric)
    assert found == expected
    ranks = [rank for *_rest, rank in expected if rank is not None]
    assert len(set(ranks)) < len(ranks) - 1000  # ties are exercised
    assert {rank for rank in ranks if result.shares_rank(rank)} == {
        rank for rank in ranks if ranks.count(rank) > 1
    }
    assert any(rank is None for *_rest, rank in expected)  # so are organisations without a score


def test_a_tie_is_measured_from_the_first_score_of_its_rank_not_from_the_one_before():
    """Equal scores differ in the last bits at most, so the ranks are found without a loop over
    every score; a run of scores that creeps further than the tolerance still starts a new rank
    where it has left the first score of the rank behind."""
    import numpy as np

    from valgomat.matching import TIE_TOLERANCE, _ranks

    step = 0.6 * TIE_TOLERANCE
    creeping = np.array([50.0, 50.0 - step, 50.0 - 2 * step, 50.0 - 3 * step, 40.0])
    assert _ranks(creeping).tolist() == [1, 1, 3, 3, 5]
    last_bits = np.array([75.0, np.nextafter(75.0, 0), 60.0, 60.0, np.nextafter(60.0, 0), 10.0])
    assert _ranks(last_bits).tolist() == [1, 1, 3, 3, 3, 6]
    assert _ranks(np.array([])).tolist() == []
