"""On a real IBP + LI system (trianglebox, Kira-3 seeds for I(1,1,1,1,1,1,-3): 828 equations) the fast kernel
and the naive baseline agree on everything, and the target reduces to the family's 16 masters."""

import numpy as np

from solver import elimination, naive
from solver.family import load_family
from solver.point import random_point
from solver.rules import kira3, select
from solver.seeds import SeedPool
from solver.system import build_system

TARGET = (1, 1, 1, 1, 1, 1, -3)


def test_kira3_system_of_the_paper():
    family = load_family("trianglebox")
    pool = SeedPool(family, [TARGET])
    seeds = pool.indices[select(pool, kira3)]
    system = build_system(family, random_point(family, 0), seeds, np.array([TARGET]))
    assert (len(seeds), system.n_rows) == (92, 828)
    every_pivot_target = np.arange(system.n_cols)
    args = (system.n_cols, system.indptr, system.indices, system.data, system.prime, every_pivot_target)
    fast, slow = elimination.eliminate(*args), naive.eliminate(*args)
    assert fast.same_as(slow)
    target_col = int(system.columns(np.array([TARGET]))[0])
    cols, coeffs = fast.reduced[target_col]
    assert len(cols) == 16 and np.all(coeffs > 0)
