"""The fast kernel gives exactly the naive baseline's rank, pivot set and target reductions."""

import numpy as np
import pytest

from solver import elimination, naive
from solver.echelon import random_system

PRIMES = [2, 3, 7, 101, 65521, 2**31 - 1]


@pytest.mark.parametrize("prime", PRIMES)
def test_small_random_systems_agree(prime):
    rng = np.random.default_rng(prime)
    for _ in range(60):
        n = int(rng.integers(1, 50))
        ip, ix, dv = random_system(
            rng, n, int(rng.integers(0, 40)), int(rng.integers(0, 80)), int(rng.integers(1, 8)), prime
        )
        targets = rng.integers(0, n, size=int(rng.integers(1, 8)))
        slow = naive.eliminate(n, ip, ix, dv, prime, targets)
        fast = elimination.eliminate(n, ip, ix, dv, prime, targets)
        assert fast.same_as(slow)
        assert fast.rank == int(fast.pivots.sum())


@pytest.mark.parametrize("prime", [65521, 2**31 - 1])
def test_larger_overdetermined_systems_agree_on_every_target(prime):
    rng = np.random.default_rng(7)
    n = 200
    ip, ix, dv = random_system(rng, n, 150, 400, 8, prime)
    targets = np.arange(n)
    slow = naive.eliminate(n, ip, ix, dv, prime, targets)
    fast = elimination.eliminate(n, ip, ix, dv, prime, targets)
    assert fast.same_as(slow)
    assert 0 < fast.rank <= 150


def test_reductions_satisfy_the_system():
    """Substituting the reduction of every pivot column into each equation gives zero (over non-pivots)."""
    rng = np.random.default_rng(11)
    p, n = 10007, 80
    ip, ix, dv = random_system(rng, n, 50, 100, 6, p)
    res = elimination.eliminate(n, ip, ix, dv, p, np.arange(n))
    for i in range(len(ip) - 1):
        total = np.zeros(n, dtype=object)
        for k in range(ip[i], ip[i + 1]):
            c, v = int(ix[k]), int(dv[k])
            red = res.reduced[c]
            if red is None:
                total[c] += v
            else:
                for cc, vv in zip(red[0].tolist(), red[1].tolist(), strict=True):
                    total[cc] += v * vv
        assert all(int(x) % p == 0 for x in total)
