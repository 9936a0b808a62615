"""A rule run straight by the solver (a trusted rule file, `solver reduce --rule-file`) sees the same seed
features as one run in the sandbox, where its dots and numerators sit included (solver.seed_features)."""

from solver.family import load_family
from solver.rules import kira3_floored, select
from solver.seed_features import NAMES, seed_features
from solver.seeds import SeedPool


def test_every_seed_carries_the_placed_features_of_its_pool():
    family = load_family("trianglebox")
    pool = SeedPool(family, family.problem("dot1").targets)
    placed = seed_features(pool.indices, pool.targets)
    for i in (0, len(pool) // 2, len(pool) - 1):
        assert {name: getattr(pool.seeds[i], name) for name in NAMES} == {n: int(placed[n][i]) for n in NAMES}


def test_floored_kira3_written_with_pinched_selects_the_same_seeds():
    family = load_family("trianglebox")
    pool = SeedPool(family, family.problem("rank3").targets)

    def with_pinched(seed):
        return seed.d == 0 and seed.s <= max(1, seed.s_top - seed.pinched)

    assert (select(pool, with_pinched) == select(pool, kira3_floored)).all()
    assert select(pool, with_pinched).sum() == 108
