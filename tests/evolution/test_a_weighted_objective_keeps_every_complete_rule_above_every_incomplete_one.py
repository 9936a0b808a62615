"""Under a weighted objective a complete rule scores minus its weighted cost, recorded with the objective
that made it; whatever the weights, every complete score stays above every incomplete or capped one, and
those keep their order among themselves."""

import pytest

from evolution import objective
from evolution.problems import problem_set
from evolution.scoring import COMPLETE, INCOMPLETE, ProblemVerdict, score_program
from solver.family import load_family
from tests.evolution.conftest import KIRA3

INCOMPLETE_RULE = "def keep(seed):\n    return seed.t >= 5 and seed.d == 0\n"
CAPPED_RULE = "def keep(seed):\n    return True\n"
MIX = "seeds+0.1*equations+0.001*multiply_adds"


def scored(source: str, text: str) -> ProblemVerdict:
    problems = problem_set("trianglebox", ("rank3",))
    (verdict,) = score_program(source, problems, objective=objective.parse(text))
    return verdict


def test_a_complete_rule_scores_minus_its_weighted_cost_and_records_the_objective():
    verdict = scored(KIRA3, MIX)
    work = verdict.details["work"]
    assert verdict.verdict == COMPLETE and (verdict.seeds, verdict.equations) == (92, 828)
    assert verdict.score == pytest.approx(-(92 + 82.8 + 0.001 * work["multiply_adds"]))
    assert verdict.details["objective"] == MIX


@pytest.mark.parametrize("text", [MIX, "1000*multiply_adds", "1000*pivot_row_entries+1000*fill_in",
                                  "equations"])
def test_the_incomplete_and_capped_rules_score_below_the_complete_one_in_their_usual_order(text):
    by_seeds = [scored(source, "seeds") for source in (KIRA3, INCOMPLETE_RULE, CAPPED_RULE)]
    weighted = [scored(source, text) for source in (KIRA3, INCOMPLETE_RULE, CAPPED_RULE)]
    assert [v.verdict for v in weighted] == [COMPLETE, INCOMPLETE, INCOMPLETE]
    assert weighted[0].score > weighted[1].score > weighted[2].score
    assert all(v.details["objective"] == objective.parse(text).text for v in weighted)
    # Penalties move down by one ceiling, each exactly: their differences are those of the seeds scores.
    assert weighted[1].score - weighted[2].score == by_seeds[1].score - by_seeds[2].score


def test_a_complete_cost_above_the_ceiling_still_beats_an_incomplete_rule():
    family, cap = load_family("trianglebox"), 1000
    mix = objective.parse("1000*multiply_adds")
    ceiling = mix.ceiling(family, cap)
    assert ceiling == 1000 * (cap * 9) ** 2  # 9 identities a seed: 8 IBP and 1 LI
    huge = ProblemVerdict("rank3", COMPLETE, score=-5000, seeds=5000, equations=45000,
                          details={"work": {"multiply_adds": 10**12}})
    failed = ProblemVerdict("rank3", INCOMPLETE, score=-6000.0, seeds=20, unreduced=3)
    for verdict in (huge, failed):
        mix.score(verdict, family, cap)
    assert huge.score == -ceiling and failed.score == -6000 - ceiling < huge.score
