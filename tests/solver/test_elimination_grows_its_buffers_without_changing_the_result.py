"""The fast kernel's pivot-row pool and output start small and grow (stop, grow, resume the same row):
the result is the same as with room to spare."""

import numpy as np
import pytest

from solver import elimination, naive
from solver.echelon import random_system


@pytest.mark.parametrize("start", [1, 2, 7])
def test_tiny_buffers_give_the_same_result(monkeypatch, start):
    rng = np.random.default_rng(start)
    p = 2**31 - 1
    monkeypatch.setattr(elimination, "_POOL_START", start)
    monkeypatch.setattr(elimination, "_OUT_START", start)
    for _ in range(10):
        n = int(rng.integers(20, 150))
        ip, ix, dv = random_system(rng, n, int(rng.integers(10, 100)), int(rng.integers(0, 150)), 10, p)
        targets = np.arange(n)
        assert elimination.eliminate(n, ip, ix, dv, p, targets).same_as(
            naive.eliminate(n, ip, ix, dv, p, targets)
        )
