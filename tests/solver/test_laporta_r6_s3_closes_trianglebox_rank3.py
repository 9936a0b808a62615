"""The big Laporta system of trianglebox rank3: r ≤ 6, s ≤ 3 over the non-zero sectors, 6,764 seeds."""

import pytest

from solver.reduction import reduce_problem
from solver.rules import laporta


@pytest.mark.slow
def test_laporta_r6_s3_has_6764_seeds_60876_equations_and_closes(trianglebox, trianglebox_masters, pools):
    result = reduce_problem(
        trianglebox,
        trianglebox.problem("rank3").targets,
        laporta(6, 3),
        trianglebox_masters,
        pool=pools["rank3"],
    )
    assert result.seeds == 6764
    assert result.equations == 60876
    assert result.complete
