"""The default objective, seeds, changes nothing: the same verdicts and scores as scoring without one
(−seeds when complete, solver.score's penalties otherwise), and nothing more in the details."""

import pytest

from evolution import objective
from evolution.problems import problem_set
from evolution.scoring import score_program
from tests.evolution.conftest import KIRA3

INCOMPLETE_RULE = "def keep(seed):\n    return seed.t >= 5 and seed.d == 0\n"
RULES = [KIRA3, INCOMPLETE_RULE, "def keep(seed):\n    return True\n"]


@pytest.mark.parametrize("source", RULES, ids=["complete", "incomplete", "capped"])
def test_scores_by_seeds_are_those_made_without_an_objective(source):
    problems = problem_set("trianglebox", ("rank3",))
    (before,) = score_program(source, problems)
    (by_seeds,) = score_program(source, problems, objective=objective.parse("seeds"))
    assert by_seeds.comparable() == before.comparable()
    assert "objective" not in by_seeds.details and set(by_seeds.details) == set(before.details)


def test_a_complete_score_is_minus_the_seeds_and_an_incomplete_one_solver_score_s_penalty():
    problems = problem_set("trianglebox", ("rank3",))
    complete, incomplete = (score_program(source, problems)[0] for source in RULES[:2])
    assert (complete.verdict, complete.score) == ("complete", -92)
    pool = len(problems.problems[0].pool)
    assert incomplete.verdict == "incomplete"
    assert incomplete.score == -(pool + 1) - incomplete.unreduced  # solver.score's penalty, as before
