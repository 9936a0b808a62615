"""Degenerate inputs: empty systems, targets in no row, non-pivot targets, rows that vanish, one column."""

import numpy as np
import pytest

from solver import elimination, naive

KERNELS = pytest.mark.parametrize("kernel", [elimination, naive], ids=["fast", "naive"])
E = np.array([], dtype=np.int64)


@KERNELS
def test_empty_system_has_rank_zero_and_no_reductions(kernel):
    res = kernel.eliminate(3, np.array([0]), E, E, 7, np.array([0, 2]))
    assert res.rank == 0
    assert res.pivots.tolist() == [False, False, False]
    assert res.reduced == {0: None, 2: None}


@KERNELS
def test_no_columns_and_no_targets(kernel):
    res = kernel.eliminate(0, np.array([0, 0]), E, E, 7, E)
    assert res.rank == 0 and res.pivots.shape == (0,) and res.reduced == {}


@KERNELS
def test_a_target_in_no_row_is_not_reduced(kernel):
    res = kernel.eliminate(3, np.array([0, 2]), np.array([0, 1]), np.array([1, 1]), 7, np.array([2, 0]))
    assert res.reduced[2] is None
    cols, coeffs = res.reduced[0]
    assert cols.tolist() == [1] and coeffs.tolist() == [6]


@KERNELS
def test_a_target_that_is_not_a_pivot_gives_none(kernel):
    res = kernel.eliminate(2, np.array([0, 2]), np.array([1, 0]), np.array([3, 4]), 7, np.array([1]))
    assert res.pivots.tolist() == [True, False]
    assert res.reduced == {1: None}


@KERNELS
def test_rows_that_reduce_to_zero_do_not_count(kernel):
    # the same equation three times, scaled, plus an empty row
    ip = np.array([0, 2, 4, 6, 6])
    ix = np.array([0, 1, 1, 0, 0, 1])
    dv = np.array([1, 2, 4, 2, 3, 6])
    res = kernel.eliminate(2, ip, ix, dv, 7, np.array([0]))
    assert res.rank == 1
    cols, coeffs = res.reduced[0]
    assert cols.tolist() == [1] and coeffs.tolist() == [5]  # I0 = -2 I1


@KERNELS
def test_single_column(kernel):
    res = kernel.eliminate(
        1, np.array([0, 1, 2]), np.array([0, 0]), np.array([5, 3]), 2**31 - 1, np.array([0])
    )
    assert res.rank == 1 and res.pivots.tolist() == [True]
    cols, coeffs = res.reduced[0]
    assert cols.size == 0 and coeffs.size == 0  # I0 = 0


@KERNELS
def test_a_fully_determined_system_reduces_everything_to_zero(kernel):
    # I0 + I1 = 0, I1 = 0  ->  both vanish
    res = kernel.eliminate(
        2, np.array([0, 2, 3]), np.array([0, 1, 1]), np.array([1, 1, 1]), 7, np.array([0, 1])
    )
    assert res.rank == 2
    assert all(r[0].size == 0 for r in res.reduced.values())


@KERNELS
def test_duplicate_targets_are_reported_once(kernel):
    res = kernel.eliminate(2, np.array([0, 2]), np.array([0, 1]), np.array([1, 1]), 7, np.array([0, 0]))
    assert list(res.reduced) == [0]


@KERNELS
def test_malformed_input_is_refused(kernel):
    with pytest.raises(ValueError, match="prime"):
        kernel.eliminate(2, np.array([0, 1]), np.array([0]), np.array([1]), 2**31 + 11, E)
    with pytest.raises(ValueError, match="column"):
        kernel.eliminate(2, np.array([0, 1]), np.array([2]), np.array([1]), 7, E)
    with pytest.raises(ValueError, match="data"):
        kernel.eliminate(2, np.array([0, 1]), np.array([0]), np.array([7]), 7, E)


@KERNELS
def test_coefficients_at_the_top_of_the_largest_field(kernel):
    """Every coefficient p - 1 with p = 2**31 - 1: the largest products the arithmetic must carry."""
    p = 2**31 - 1
    m = p - 1  # = -1
    # I0 - I1 - I2 = 0, I1 - I2 = 0, and their difference: I0 = 2 I2, I1 = I2
    ip = np.array([0, 3, 5, 7])
    ix = np.array([0, 1, 2, 1, 2, 0, 1])
    dv = np.array([m, 1, 1, m, 1, m, 2])
    res = kernel.eliminate(3, ip, ix, dv, p, np.array([0, 1]))
    assert res.rank == 2
    assert res.reduced[0][0].tolist() == [2] and res.reduced[0][1].tolist() == [2]
    assert res.reduced[1][0].tolist() == [2] and res.reduced[1][1].tolist() == [1]
