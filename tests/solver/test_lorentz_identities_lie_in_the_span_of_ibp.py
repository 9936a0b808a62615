"""Each LI equation is a consequence of IBP identities of a larger seed set (a rank test over Z_p)."""

import numpy as np

from solver.elimination import eliminate
from solver.point import random_point
from solver.rules import kira3, select
from solver.seeds import enumerate_integrals
from solver.system import build_system, stack


def rank(system):
    return eliminate(
        system.n_cols, system.indptr, system.indices, system.data, system.prime, np.zeros(0, dtype=np.int64)
    ).rank


def test_li_equations_of_the_kira3_seeds_add_nothing_to_one_dot_ibp(trianglebox, pools):
    point = random_point(trianglebox, 3)
    pool = pools["rank3"]
    seeds = build_system(trianglebox, point, pool.indices[select(pool, kira3)])
    li = seeds.row_kind == "li"
    assert li.sum() == 92
    ibp = build_system(trianglebox, point, enumerate_integrals(trianglebox, 100, 4, max_d=1), li=False)
    everything = np.ones(ibp.n_rows, dtype=bool)
    base = rank(stack((ibp, everything)))
    assert rank(stack((ibp, everything), (seeds, li))) == base
    # ...while they are not in the span of the Kira-3 seeds' own IBP equations (that is why LI is needed).
    own = rank(stack((seeds, ~li)))
    assert rank(stack((seeds, ~li), (seeds, li))) > own
