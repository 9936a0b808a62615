"""Every problem of trianglebox, dbox, xtri3m and box1 closes with Laporta's rule (bounds from its targets)
and with floored Kira-3 (problems without dots) or floored Kira-3 with the target's dots (dotted problems),
with the seed counts of solver/families/PROBLEMS.md; floored Kira-3 as such, keeping no dots, does not close a
dotted target."""

import pytest

from solver import literature
from solver.family import load_family
from solver.masters import family_masters
from solver.reduction import reduce_problem
from solver.seeds import SeedPool

# family, problem: Laporta seeds, Laporta equations, floored Kira-3 seeds (None: does not close), floored
# Kira-3 with the target's dots.
TABLE = {
    ("trianglebox", "rank1"): (1230, 11070, 88, 88),
    ("trianglebox", "rank2"): (3219, 28971, 89, 89),
    ("trianglebox", "rank3"): (6764, 60876, 108, 108),
    ("trianglebox", "rank4"): (12445, 112005, 205, 205),
    ("trianglebox", "rank5"): (20922, 188298, 396, 396),
    ("trianglebox", "rank6"): (32935, 296415, 693, 693),
    ("trianglebox", "dot1"): (7077, 63693, None, 449),
    ("trianglebox", "dot2"): (5544, 49896, None, 1354),
    ("dbox", "rank1"): (5869, 76297, 227, 227),
    ("dbox", "rank2"): (19816, 257608, 230, 230),
    ("dbox", "rank3"): (51705, 672165, 276, 276),
    ("dbox", "dot1"): (13044, 169572, None, 1264),
    ("xtri3m", "rank1"): (1610, 14490, 110, 110),
    ("xtri3m", "rank2"): (4269, 38421, 111, 111),
    ("xtri3m", "rank3"): (9064, 81576, 130, 130),
    ("xtri3m", "dot1"): (3542, 31878, None, 542),
    ("box1", "twodots"): (125, 875, None, 131),
    ("box1", "dotted"): (65, 455, None, 55),
}
SLOW = {("dbox", "rank3")}  # a 462,120-seed pool: ~2 s to build its Seed views
CASES = [pytest.param(*key, marks=[pytest.mark.slow] if key in SLOW else []) for key in TABLE]


def reduce(family_name, problem_name, rule):
    family = load_family(family_name)
    problem = family.problem(problem_name)
    pool = _pool(family, problem)
    return reduce_problem(family, problem.targets, rule.keep, family_masters(family), pool=pool)


_POOLS: dict = {}


def _pool(family, problem):
    key = (family.name, problem.name)
    if key not in _POOLS:
        _POOLS[key] = SeedPool(family, problem.targets)
    return _POOLS[key]


def test_the_table_covers_every_problem_of_these_families():
    for name in ("trianglebox", "dbox", "xtri3m", "box1"):
        assert {p.name for p in load_family(name).problems} == {p for f, p in TABLE if f == name}


@pytest.mark.parametrize(("family", "problem"), CASES)
def test_laporta_closes_with_the_recorded_seeds_and_equations(family, problem):
    result = reduce(family, problem, literature.LAPORTA)
    assert result.complete
    assert (result.seeds, result.equations) == TABLE[family, problem][:2]


@pytest.mark.parametrize(("family", "problem"), CASES)
def test_floored_kira3_closes_every_problem_without_dots_and_no_dotted_one(family, problem):
    result = reduce(family, problem, literature.KIRA3_FLOORED)
    expected = TABLE[family, problem][2]
    if expected is None:
        assert not result.complete and result.unreduced
    else:
        assert result.complete and result.seeds == expected


@pytest.mark.parametrize(("family", "problem"), CASES)
def test_floored_kira3_with_the_targets_dots_closes_every_problem(family, problem):
    result = reduce(family, problem, literature.KIRA3_FLOORED_DOTS)
    assert result.complete
    assert result.seeds == TABLE[family, problem][3]
