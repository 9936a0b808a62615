"""A system small enough to solve by hand over Z_101.

    r1:  I0 - I1 - I2 = 0
    r2:  3 I1 - I3 = 0                 ->  I1 = I3 / 3 = 34 I3   (3 * 34 = 102 = 1 mod 101)
    r3:  2 r1 + 5 r2  (redundant)
so I2, I3 are the masters, I0 = I2 + 34 I3, I1 = 34 I3; rank 2.
"""

import numpy as np
import pytest

from solver import elimination, naive

P = 101


def _csr(rows):
    ip, ix, dv = [0], [], []
    for row in rows:
        for c, v in row.items():
            ix.append(c)
            dv.append(v % P)
        ip.append(len(ix))
    return np.array(ip), np.array(ix, dtype=np.int64), np.array(dv, dtype=np.int64)


@pytest.mark.parametrize("kernel", [elimination, naive], ids=["fast", "naive"])
def test_hand_checked_reduction(kernel):
    rows = [
        {0: 1, 1: -1, 2: -1},
        {1: 3, 3: -1},
        {0: 2, 1: -2 + 15, 2: -2, 3: -5},
    ]
    res = kernel.eliminate(4, *_csr(rows), P, np.array([0, 1, 2, 3]))
    assert res.rank == 2
    assert res.pivots.tolist() == [True, True, False, False]
    cols, coeffs = res.reduced[0]
    assert cols.tolist() == [2, 3] and coeffs.tolist() == [1, 34]
    cols, coeffs = res.reduced[1]
    assert cols.tolist() == [3] and coeffs.tolist() == [34]
    assert res.reduced[2] is None and res.reduced[3] is None
