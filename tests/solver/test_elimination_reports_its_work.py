"""Besides seeds and equations, a reduction reports the work its elimination did: pivots, pivot steps,
multiply-adds, fill-in (nonzeros created), entries stored in pivot rows, and the wall time of writing and of
eliminating the system; in the Result scoring returns and in its JSON, under the names of WORK_FIELDS."""

import numpy as np
import pytest

from solver import elimination, naive
from solver.echelon import random_system
from solver.reduction import WORK_FIELDS
from solver.rules import kira3, laporta
from solver.score import score_problem

# x0 + x1 = 0 and x0 + x2 = 0, target x0 (column 0 is the most complex). Forward: the first row is the pivot
# of x0; the second loses x0 in one step (one multiply-add, creating x1) and becomes the pivot of x1.
# Back-substitution of x0: one step against the pivot of x1 (one multiply-add, creating x2): x0 = -x2.
INDPTR, INDICES, DATA = np.array([0, 2, 4]), np.array([0, 1, 0, 2]), np.array([1, 1, 1, 1])


@pytest.mark.parametrize("kernel", [elimination, naive], ids=["fast", "naive"])
def test_a_hand_checked_system_counts_two_steps_and_two_fill_ins(kernel):
    result = kernel.eliminate(3, INDPTR, INDICES, DATA, 7, np.array([0]))
    assert result.rank == 2
    cols, coeffs = result.reduced[0]
    assert cols.tolist() == [2] and coeffs.tolist() == [7 - 1]
    work = result.work
    assert (work.pivot_steps, work.multiply_adds, work.fill_in, work.pivot_row_entries) == (2, 2, 2, 4)


def test_scoring_returns_the_work_with_the_verdict(trianglebox):
    scored = score_problem(trianglebox, trianglebox.problem("rank3"), kira3)
    result = scored.result
    assert result.complete and result.seeds == 92
    assert result.pivots == result.independent_equations == 740
    assert 0 < result.pivot_steps <= result.multiply_adds
    assert 0 < result.fill_in <= result.multiply_adds
    assert result.pivot_row_entries > 0
    assert 0 < result.elimination_seconds < result.seconds
    assert 0 < result.instantiation_seconds < result.seconds
    assert set(result.work()) == set(WORK_FIELDS)
    payload = scored.to_json()["result"]
    assert {name: payload[name] for name in WORK_FIELDS} == result.work() == scored.work()


def test_a_capped_rule_did_no_work(trianglebox):
    scored = score_problem(trianglebox, trianglebox.problem("rank3"), laporta(6, 3), cap=500)
    assert scored.capped and scored.work() == {}


def test_the_counts_do_not_depend_on_the_clock(trianglebox):
    problem = trianglebox.problem("rank3")
    first, second = (score_problem(trianglebox, problem, kira3).result for _ in range(2))
    counts = ("pivots", "pivot_steps", "multiply_adds", "fill_in", "pivot_row_entries")
    assert [getattr(first, c) for c in counts] == [getattr(second, c) for c in counts]


def test_the_work_is_not_part_of_the_verdict(trianglebox):
    result = score_problem(trianglebox, trianglebox.problem("rank3"), kira3, check=2).result
    assert result.checks[0]["agree"]
    assert len(result.verdict()) == 4  # complete, masters, unreduced, independent equations


@pytest.mark.parametrize("start", [1, 7])
def test_a_row_redone_after_its_buffer_grew_is_counted_once(monkeypatch, start):
    rng = np.random.default_rng(start)
    p = 2**31 - 1
    ip, ix, dv = random_system(rng, 120, 80, 60, 10, p)
    targets = np.arange(120)
    roomy = elimination.eliminate(120, ip, ix, dv, p, targets).work
    monkeypatch.setattr(elimination, "_POOL_START", start)
    monkeypatch.setattr(elimination, "_OUT_START", start)
    assert elimination.eliminate(120, ip, ix, dv, p, targets).work == roomy
    assert roomy.pivot_steps > 0 and roomy.fill_in > 0
