"""Every evaluation that reduced its problem records what the elimination cost a reducer, beside the seeds
and equations: pivots, fill-in, multiply-adds and time (solver.reduction.WORK_FIELDS)."""

from evolution.problems import problem_set
from evolution.scoring import score_program
from solver.reduction import WORK_FIELDS
from tests.evolution.conftest import KIRA3


def test_a_reduced_problem_s_evaluation_carries_the_elimination_s_work():
    (verdict,) = score_program(KIRA3, problem_set("trianglebox", ("rank3",)))
    work = verdict.details["work"]
    assert set(work) == set(WORK_FIELDS)
    assert work["pivots"] > 0 and work["multiply_adds"] >= work["pivots"] and work["fill_in"] >= 0
    assert verdict.seeds == 92


def test_a_rule_stopped_at_the_seed_cap_built_no_equation_and_records_no_work():
    (verdict,) = score_program("def keep(seed):\n    return True\n", problem_set("trianglebox", ("rank3",)))
    assert verdict.details.get("capped") and "work" not in verdict.details
