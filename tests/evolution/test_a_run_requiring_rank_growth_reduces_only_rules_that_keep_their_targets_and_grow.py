"""A run may require rank growth (evolve --rank-growth, evolution.rank_growth): a rule that drops one of its
targets' corners (at their rank, or raised by up to three numerator powers), or that keeps a seed for s_top
which it drops for s_top + 1, is not reduced; it scores as a rule over the cap and its evaluation says why.
The published rules, and a found rule that holds at higher rank, have rank growth and score exactly as
without the requirement."""

from dataclasses import replace

import pytest

from evolution import objective
from evolution.problems import problem_set
from evolution.scoring import score_program

SEEDS = objective.parse("seeds")
GROWTH = replace(SEEDS, rank_growth=True)
FLOORED_KIRA3 = "seed.d == 0 and seed.s <= max(1, seed.s_top - (seed.t_top - seed.t))"


def rule(expression: str) -> str:
    return f"def keep(seed):\n    return {expression}\n"


@pytest.fixture(scope="module")
def ranks():
    return problem_set("trianglebox", ("rank1", "rank2", "rank3"))


@pytest.mark.parametrize("expression, seeds", [
    (FLOORED_KIRA3, [88, 89, 108]),
    # By hand, after what runs requiring rank growth found; complete on rank4 (151) and rank5 (216) too.
    ("seed.d == 0 and seed.s <= max(min(1, seed.t - 3), seed.s_top - seed.pinched) and seed.s_pinched <= 1",
     [72, 73, 86]),
])
def test_a_rule_that_holds_at_higher_rank_scores_the_same_with_and_without_it(ranks, expression, seeds):
    plain = score_program(rule(expression), ranks, objective=SEEDS)
    required = score_program(rule(expression), ranks, objective=GROWTH)
    assert [v.comparable() for v in required] == [v.comparable() for v in plain]
    assert [v.seeds for v in required] == seeds
    assert not any("rank_growth" in v.details for v in required)


def test_a_rule_with_the_training_rank_written_as_a_constant_is_not_reduced(ranks):
    # `3` where Kira-3 says s_top: the same seeds at rank3, and fewer at rank1 and rank2, but it would
    # drop the rank-4 target.
    overfit = rule(f"seed.s <= 3 - (seed.t_top - seed.t) and {FLOORED_KIRA3}")
    plain = score_program(overfit, ranks, objective=SEEDS)
    assert [v.verdict for v in plain] == ["complete"] * 3
    required = score_program(overfit, ranks, objective=GROWTH)
    assert [v.verdict for v in required] == ["incomplete"] * 3
    assert required[2].details["rank_growth"] == (
        "it drops I(1, 1, 1, 1, 1, 1, -4), a corner of its targets with 1 more numerator power")
    assert required[0].details["rank_growth"].endswith("a corner of its targets with 3 more numerator powers")
    for verdict, before in zip(required, plain, strict=True):
        assert verdict.seeds == before.seeds  # what it selected, though nothing was reduced
        assert verdict.equations is None and verdict.unreduced is None
        assert verdict.score < min(v.score for v in plain)  # below every complete score
        assert "capped" not in verdict.details


def test_a_rule_that_caps_a_small_sector_s_numerators_for_good_is_not_reduced(ranks):
    # Never reads s_top: at rank 3 and below it keeps what it needs, above it starves the triangles.
    capped = rule(f"seed.s + seed.pinched <= seed.t and {FLOORED_KIRA3}")
    assert [v.verdict for v in score_program(capped, ranks, objective=SEEDS)] == ["complete"] * 3
    required = score_program(capped, ranks, objective=GROWTH)
    assert required[2].details["rank_growth"] == (
        "it drops I(0, 0, 1, 1, 1, 0, -1), a corner of its targets with 1 more numerator power")


def test_a_rule_that_keeps_fewer_seeds_at_a_higher_rank_is_not_reduced(ranks):
    # Keeps every corner, at every rank; above rank 3 nothing else, so less than it kept at rank 3.
    shrinking = rule(f"(seed.s_top <= 3 or seed.s == seed.s_top - seed.pinched) and {FLOORED_KIRA3}")
    required = score_program(shrinking, ranks, objective=GROWTH)
    assert [v.verdict for v in required] == ["complete", "complete", "incomplete"]
    assert required[2].details["rank_growth"] == "it keeps 92 seeds for s_top = 3 that it drops for s_top = 4"


def test_a_rule_that_drops_its_own_target_is_not_reduced(ranks):
    required = score_program(rule(f"seed.pinched > 0 and {FLOORED_KIRA3}"), ranks, objective=GROWTH)
    assert [v.details["rank_growth"] for v in required] == [
        f"it drops I(1, 1, 1, 1, 1, 1, -{rank}), a corner of its targets at their rank" for rank in (1, 2, 3)]
