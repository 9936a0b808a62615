"""Shuffling the equations (and the terms inside them) changes nothing in the result."""

import numpy as np
import pytest

from solver import elimination, naive
from solver.echelon import random_system


def _shuffled(rng, ip, ix, dv):
    n_rows = len(ip) - 1
    perm = rng.permutation(n_rows)
    new_ip, new_ix, new_dv = [0], [], []
    for i in perm:
        a, b = ip[i], ip[i + 1]
        inner = rng.permutation(b - a) + a
        new_ix.extend(ix[inner].tolist())
        new_dv.extend(dv[inner].tolist())
        new_ip.append(len(new_ix))
    return np.array(new_ip), np.array(new_ix, dtype=np.int64), np.array(new_dv, dtype=np.int64)


@pytest.mark.parametrize("kernel", [elimination, naive], ids=["fast", "naive"])
def test_shuffled_rows_give_the_same_elimination(kernel):
    rng = np.random.default_rng(3)
    p = 2**31 - 1
    for _ in range(20):
        n = int(rng.integers(5, 120))
        ip, ix, dv = random_system(rng, n, int(rng.integers(1, 80)), int(rng.integers(0, 150)), 8, p)
        targets = np.arange(n)
        ref = kernel.eliminate(n, ip, ix, dv, p, targets)
        for _ in range(3):
            assert kernel.eliminate(n, *_shuffled(rng, ip, ix, dv), p, targets).same_as(ref)
