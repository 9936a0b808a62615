"""Two different complete seed sets express the target through the masters with the same coefficients
at the same point: the reduction is exact, not an artefact of the seeds."""

from solver.point import random_point
from solver.reduction import reduce_problem, reduce_seeds
from solver.rules import kira3, laporta, no_dots, select


def test_kira3_and_no_dots_laporta_agree_on_every_coefficient(trianglebox, trianglebox_masters, pools):
    targets = trianglebox.problem("rank3").targets
    a = reduce_problem(trianglebox, targets, kira3, trianglebox_masters, pool=pools["rank3"])
    b = reduce_problem(trianglebox, targets, no_dots, trianglebox_masters, pool=pools["rank3"])
    assert a.complete and b.complete and a.seeds != b.seeds
    assert a.coefficients == b.coefficients
    assert len(a.coefficients[targets[0]]) == 16


def test_a_dotted_laporta_system_agrees_too(trianglebox, trianglebox_masters, pools):
    targets = trianglebox.problem("rank2").targets
    pool = pools["rank2"]
    point = random_point(trianglebox, 7)
    small = reduce_seeds(
        trianglebox, targets, pool.indices[select(pool, no_dots)], trianglebox_masters, point
    )
    big = reduce_seeds(
        trianglebox, targets, pool.indices[select(pool, laporta(7, 2))], trianglebox_masters, point
    )
    assert small.complete and big.complete
    assert small.coefficients == big.coefficients
