"""The floored Kira-3 rule closes trianglebox rank1..rank4; plain Kira-3 fails on rank1 and rank2;
no-dots Laporta closes with many more seeds (88, 219, 444, 795)."""

import pytest

from solver.reduction import reduce_problem
from solver.rules import kira3, kira3_floored, no_dots


def run(trianglebox, masters, pools, name, rule):
    return reduce_problem(trianglebox, trianglebox.problem(name).targets, rule, masters, pool=pools[name])


@pytest.mark.parametrize(("name", "seeds"), [("rank1", 88), ("rank2", 89), ("rank3", 108), ("rank4", 205)])
def test_floored_kira3_closes_with_the_published_seed_counts(
    trianglebox, trianglebox_masters, pools, name, seeds
):
    result = run(trianglebox, trianglebox_masters, pools, name, kira3_floored)
    assert result.complete
    assert result.seeds == seeds


@pytest.mark.parametrize("name", ["rank1", "rank2"])
def test_plain_kira3_does_not_close_low_numerator_ranks(trianglebox, trianglebox_masters, pools, name):
    result = run(trianglebox, trianglebox_masters, pools, name, kira3)
    assert not result.complete
    assert result.unreduced


@pytest.mark.parametrize(("name", "seeds"), [("rank1", 88), ("rank2", 219), ("rank3", 444), ("rank4", 795)])
def test_no_dots_laporta_closes_with_more_seeds(trianglebox, trianglebox_masters, pools, name, seeds):
    result = run(trianglebox, trianglebox_masters, pools, name, no_dots)
    assert result.complete
    assert result.seeds == seeds
    assert result.equations == 9 * seeds
