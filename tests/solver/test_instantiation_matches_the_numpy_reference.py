"""The compiled instantiation builds exactly the system of the former all-numpy one: same rows, same column
numbering (Laporta order), same coefficients, same row kinds — for several families, seed sets, points and
with or without Lorentz-invariance identities."""

import numpy as np
import pytest

from solver import system as system_module
from solver.family import load_family
from solver.instantiation import unpack_in_order
from solver.integral import IntegralKeys, laporta_order
from solver.point import PRIMES, random_point
from solver.rules import BUILTIN, laporta, select
from solver.seeds import SeedPool
from solver.system import _build_system_numpy, build_system


def assert_same(fast, reference):
    assert fast.integrals.dtype == reference.integrals.dtype == np.int64
    assert np.array_equal(fast.integrals, reference.integrals)
    for name in ("indptr", "indices", "data"):
        a, b = getattr(fast, name), getattr(reference, name)
        assert a.dtype == b.dtype == np.int64, name
        assert np.array_equal(a, b), name
    assert (fast.prime, fast.generated, fast.n_rows, fast.n_cols) == (
        reference.prime,
        reference.generated,
        reference.n_rows,
        reference.n_cols,
    )
    assert fast.row_kind.dtype == reference.row_kind.dtype == object
    assert list(fast.row_kind) == list(reference.row_kind)


# The problems compared (the numpy reference takes ~0.1 s per 1,000 seeds: the larger problems added for
# issue 19, trianglebox rank5/rank6 and dbox rank2/rank3/dot1, would make this test take half a minute).
PROBLEMS = {
    "trianglebox": ("rank1", "rank2", "rank3", "rank4", "dot1", "dot2"),
    "dbox": ("rank1",),
    "box1": ("twodots", "dotted"),
}


def seed_sets(family):
    """Per problem: rule selections, a small Laporta set and a random subset of the pool (shuffled order)."""
    rng = np.random.default_rng(7)
    for problem in (family.problem(name) for name in PROBLEMS[family.name]):
        pool = SeedPool(family, problem.targets)
        tops = pool.tops
        rules = {
            "no-dots": BUILTIN["no-dots"],
            "kira3-floored": BUILTIN["kira3-floored"],
            "laporta": laporta(tops.r_top, tops.s_top),
        }
        for name, rule in rules.items():
            yield f"{problem.name}/{name}", pool.indices[select(pool, rule)], problem.targets
        pick = rng.choice(len(pool), size=min(300, len(pool)), replace=False)
        yield f"{problem.name}/random", pool.indices[pick], problem.targets


@pytest.mark.parametrize("name", ["trianglebox", "dbox", "box1"])
def test_same_system_as_the_numpy_reference(name):
    family = load_family(name)
    points = [random_point(family, 0), random_point(family, 3, PRIMES[2])]
    checked = 0
    for _, seeds, targets in seed_sets(family):
        small = len(seeds) <= 1000  # the big (Laporta) sets once per li: the reference takes ~0.1 s per 1,000
        for point in points if small else points[:1]:
            for li in (True, False):
                extra = np.array(targets, dtype=np.int64)
                fast = build_system(family, point, seeds, extra, li=li)
                assert_same(fast, _build_system_numpy(family, point, seeds, extra, li=li))
                assert (fast.columns(extra) >= 0).all()
                assert np.array_equal(fast.columns(fast.integrals), np.arange(fast.n_cols))
                if small:
                    assert_same(
                        build_system(family, point, seeds, li=li),
                        _build_system_numpy(family, point, seeds, li=li),
                    )
                checked += 1
    assert checked >= 14 * len(PROBLEMS[name])


def test_same_system_when_the_hash_table_has_to_grow(monkeypatch, trianglebox):
    monkeypatch.setattr(system_module, "_TABLE_START_BITS", 7)
    pool = SeedPool(trianglebox, [(1, 1, 1, 1, 1, 1, -3)])
    seeds = pool.indices[select(pool, BUILTIN["no-dots"])]
    point = random_point(trianglebox)
    extra = pool.indices[:700]  # more extra columns than the table has room for at the end
    for li in (True, False):
        assert_same(
            build_system(trianglebox, point, seeds, extra, li=li),
            _build_system_numpy(trianglebox, point, seeds, extra, li=li),
        )


def test_edge_cases_match_the_reference(trianglebox):
    point = random_point(trianglebox)
    target = np.array([[1, 1, 1, 1, 1, 1, -3]])
    no_seeds = np.zeros((0, 7), dtype=np.int64)
    zero_sector_seed = np.array([[1, 0, 0, 0, 0, 0, 0]])  # a massless tadpole: every term drops
    big = np.array([[1, 1, 1, 1, 1, 40, -2]])  # beyond the key packing: the general path
    for seeds, extra in [
        (no_seeds, None),
        (no_seeds, target),
        (zero_sector_seed, None),
        (zero_sector_seed, target),
        (np.concatenate([zero_sector_seed, target]), None),
        (big, target),
        (target, np.array([[1, 1, 1, 1, 1, 1, -40]])),
        (np.repeat(target, 3, axis=0), target),  # repeated seeds repeat their equations
    ]:
        for li in (True, False):
            assert_same(
                build_system(trianglebox, point, seeds, extra, li=li),
                _build_system_numpy(trianglebox, point, seeds, extra, li=li),
            )
    with pytest.raises(ValueError):
        build_system(trianglebox, point, np.array([[1, 1, 1, 1, 1, 1, 1 << 17]]))


@pytest.mark.parametrize("n", [1, 4, 7, 9, 12])
def test_the_compiled_laporta_order_is_the_reference_order(n):
    rng = np.random.default_rng(n)
    keys = IntegralKeys(n)
    digit = np.ascontiguousarray(keys._shifts())
    for low, high in [(-1, 2), (-3, 5), (keys.low, keys.high + 1)]:  # the last needs the lexsort fallback
        integrals = np.unique(rng.integers(low, high, size=(2000, n)), axis=0)
        rng.shuffle(integrals)
        unpacked, composite = unpack_in_order(keys.pack(integrals), n, keys.low, digit, keys.bits)
        assert np.array_equal(unpacked, integrals)
        if len(composite):
            assert np.array_equal(np.argsort(-composite), laporta_order(integrals))
