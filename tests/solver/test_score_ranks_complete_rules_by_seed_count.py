"""Score: −seeds when complete, a penalty below every complete rule otherwise, and a
seed cap checked before any equation is built."""

import numpy as np
import pytest

import solver.score as score_module
from solver.rules import kira3, kira3_floored, laporta
from solver.score import capped_score, score_problem, signature


def test_a_complete_rule_scores_minus_its_seed_count(trianglebox):
    scored = score_problem(trianglebox, trianglebox.problem("rank3"), kira3)
    assert scored.result.complete
    assert scored.score == -92


def test_an_incomplete_rule_scores_below_every_complete_one(trianglebox, pools):
    scored = score_problem(trianglebox, trianglebox.problem("rank1"), kira3)
    assert not scored.result.complete
    assert scored.score < -len(pools["rank1"])
    assert scored.score == -(len(pools["rank1"]) + 1) - len(scored.result.unreduced)


def test_fewer_unreduced_integrals_score_higher_among_failures(trianglebox):
    problem = trianglebox.problem("rank1")
    pool_size = len(score_module.pool_of(trianglebox, problem))
    nothing = score_problem(trianglebox, problem, np.zeros(pool_size, dtype=bool))
    some = score_problem(trianglebox, problem, kira3)
    assert nothing.result.unreduced == [problem.targets[0]]
    assert len(some.result.unreduced) > 1
    assert nothing.score == -(pool_size + 1) - 1
    assert some.score < nothing.score < -pool_size


def test_a_runaway_rule_is_capped_before_any_equation_is_built(trianglebox, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("equations were built for a capped rule")

    monkeypatch.setattr(score_module, "reduce_seeds", refuse)
    scored = score_problem(trianglebox, trianglebox.problem("rank3"), lambda seed: True)
    pool_size = len(score_module.pool_of(trianglebox, trianglebox.problem("rank3")))
    assert scored.capped and scored.selected == pool_size
    assert scored.score == capped_score(pool_size) < -(pool_size + 1) - 10**4


def test_an_explicit_cap_applies(trianglebox):
    scored = score_problem(trianglebox, trianglebox.problem("rank3"), laporta(6, 3), cap=500)
    assert scored.capped and scored.result is None


@pytest.mark.parametrize(("rule", "expected"), [(kira3_floored, (-88, -89, -108, -205))])
def test_the_signature_is_one_score_per_problem(trianglebox, rule, expected):
    ranks = [trianglebox.problem(name) for name in ("rank1", "rank2", "rank3", "rank4")]
    assert signature(trianglebox, rule, ranks) == expected
    assert sum(signature(trianglebox, rule, ranks)) == -490
    # Without a list, every problem of the family (rank1..rank6, dot1, dot2): rank5 and rank6 close with
    # 396 and 693 seeds, the dotted ones do not close (floored Kira-3 keeps no dots).
    whole = signature(trianglebox, rule)
    assert len(whole) == len(trianglebox.problems) == 8
    assert whole[:6] == (*expected, -396, -693)
    assert all(score < -1000 for score in whole[6:])
