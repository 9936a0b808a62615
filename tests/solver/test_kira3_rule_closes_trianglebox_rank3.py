"""Kira-3 seeding on the benchmark of arXiv:2502.05121 (trianglebox, I(1,1,1,1,1,1,-3)): 92 seeds,
828 equations, complete."""

from collections import Counter

from solver.reduction import reduce_problem
from solver.rules import kira3, select


def test_it_selects_92_seeds_spread_over_t_as_in_the_paper(trianglebox, pools):
    pool = pools["rank3"]
    chosen = select(pool, kira3)
    assert chosen.sum() == 92
    assert Counter(pool.features["t"][chosen].tolist()) == {6: 4, 5: 36, 4: 48, 3: 4}


def test_it_writes_828_equations_and_reduces_the_target_to_masters(trianglebox, trianglebox_masters, pools):
    result = reduce_problem(
        trianglebox, trianglebox.problem("rank3").targets, kira3, trianglebox_masters, pool=pools["rank3"]
    )
    assert result.seeds == 92
    assert result.equations == 828 == 92 * (8 + 1)
    assert result.complete
    assert result.unreduced == []
    assert set(result.masters) <= set(trianglebox_masters)
