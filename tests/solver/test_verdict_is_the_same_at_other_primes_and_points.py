"""A verdict does not depend on the prime or the numeric point (--check N)."""

import pytest

from solver.reduction import reduce_problem
from solver.rules import kira3, kira3_floored


@pytest.mark.parametrize(("name", "rule"), [("rank3", kira3), ("rank1", kira3), ("rank2", kira3_floored)])
def test_three_primes_and_points_agree(trianglebox, trianglebox_masters, pools, name, rule):
    result = reduce_problem(
        trianglebox, trianglebox.problem(name).targets, rule, trianglebox_masters, check=3, pool=pools[name]
    )
    assert len(result.checks) == 2
    assert {c["prime"] for c in result.checks} | {result.prime} == {2147483647, 2147483629, 2147483587}
    assert all(c["agree"] for c in result.checks)


def test_a_different_point_seed_gives_a_different_point_and_the_same_verdict(
    trianglebox, trianglebox_masters, pools
):
    targets = trianglebox.problem("rank1").targets
    one = reduce_problem(trianglebox, targets, kira3, trianglebox_masters, pool=pools["rank1"], point_seed=1)
    two = reduce_problem(trianglebox, targets, kira3, trianglebox_masters, pool=pools["rank1"], point_seed=2)
    assert one.point != two.point
    assert one.verdict() == two.verdict()
    assert not one.complete
