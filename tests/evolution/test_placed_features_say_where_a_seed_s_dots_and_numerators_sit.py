"""Each feature of solver/seed_features.py has, on hand-checked triangle-box seeds, the value its definition
gives: read from the problem's seed table, as `seed.<name>` reads it in a rule."""

import numpy as np
import pytest

from evolution.problems import FEATURES, problem_set
from solver.seed_features import NAMES, seed_features

from .placed import PINCHED6, family_file


def _all(*values: int) -> dict[str, int]:
    """Every placed feature, in the order of NAMES: d_in, d_out, d_max, s_isp, s_pinched, s_max, pinched,
    r_sec."""
    return dict(zip(NAMES, values, strict=True))


# rank3's target I(1,1,1,1,1,1,-3): top sector = lines 1-6, line 7 the ISP.
RANK3 = {
    # one dot on line 1, the target's three ISP powers
    (2, 1, 1, 1, 1, 1, -3): _all(1, 0, 1, 3, 0, 3, 0, 6),
    # line 6 pinched and carrying two numerator powers, two dots both on line 5
    (1, 1, 1, 1, 3, -2, -1): _all(2, 0, 2, 1, 2, 2, 1, 5),
    # lines 2 and 5 pinched, one power each; a dot on line 1 and one on line 3
    (2, -1, 2, 1, -1, 1, 0): _all(2, 0, 1, 0, 2, 1, 2, 4),
    # the top sector's corner integral
    (1, 1, 1, 1, 1, 1, 0): _all(0, 0, 0, 0, 0, 0, 0, 6),
}
# dot1's target I(2,1,1,1,1,1,-2) has its dot on line 1: r_sec counts it only where line 1 is the seed's.
DOT1 = {
    (1, 1, 1, 1, 1, 1, 0): dict(r_sec=7, pinched=0),
    (-1, 1, 1, 1, 1, 1, 0): dict(r_sec=5, pinched=1, s_pinched=1, s_isp=0),
}
# pinched6's target I(1,1,1,1,1,0,-2): top sector = lines 1-5; lines 6 and 7 are its ISPs.
PINCHED = {
    # a dot on line 6, off the top sector; line 6 counts once in r_sec (the target lacks it)
    (1, 1, 1, 1, 1, 2, 0): _all(0, 1, 1, 0, 0, 0, 0, 6),
    # numerators on lines 6 and 7: both ISPs of this target
    (1, 1, 1, 1, 2, -1, -1): _all(1, 0, 1, 2, 0, 1, 0, 5),
    # line 3 pinched with one power, line 6 a line of the seed but not of the top sector
    (1, 1, -1, 1, 1, 1, 0): _all(0, 0, 0, 0, 1, 1, 1, 5),
}


def _values(context, indices) -> dict[str, int]:
    row = np.flatnonzero((context.pool.indices == np.array(indices)).all(axis=1))
    assert len(row) == 1, f"{indices} is not in the pool of {context.problem.name}"
    return dict(zip(context.table.names, context.table.features[row[0]].tolist(), strict=True))


@pytest.mark.parametrize(("problem", "expected"), [("rank3", RANK3), ("dot1", DOT1)])
def test_the_table_holds_each_feature_s_hand_checked_value(problem, expected):
    context = problem_set("trianglebox", (problem,)).problems[0]
    for indices, values in expected.items():
        assert {name: _values(context, indices)[name] for name in values} == values, indices


def test_dots_and_numerators_off_the_targets_top_sector_are_told_apart(tmp_path):
    context = problem_set(family_file(tmp_path), (PINCHED6,), "default").problems[0]
    for indices, values in PINCHED.items():
        assert {name: _values(context, indices)[name] for name in values} == values, indices


def test_the_placed_features_split_d_and_s_on_every_seed():
    context = problem_set("trianglebox", ("rank3",)).problems[0]
    column = {name: context.table.features[:, i] for i, name in enumerate(context.table.names)}
    assert set(NAMES) <= set(FEATURES)
    assert np.array_equal(column["d_in"] + column["d_out"], column["d"])
    assert np.array_equal(column["s_isp"] + column["s_pinched"], column["s"])
    assert np.array_equal(column["pinched"], context.table.context["t_top"] - column["t"])
    assert np.array_equal(column["r_sec"], column["t"])  # a dotless target
    assert (column["d_max"] <= column["d"]).all() and (column["s_max"] <= column["s"]).all()


def test_with_several_targets_r_sec_is_the_largest_of_their_restrictions():
    # box1's twodots targets I(2,2,1,1) and I(3,1,1,1): without line 1 the first has more on the seed's lines
    # (2+1+1), without line 2 the second (3+1+1).
    targets = [(2, 2, 1, 1), (3, 1, 1, 1)]
    features = seed_features([(1, 1, 1, 1), (-1, 1, 1, 1), (1, -1, 1, 1), (1, 1, 2, 1)], targets)
    assert features["r_sec"].tolist() == [6, 4, 5, 6]
    assert features["pinched"].tolist() == [0, 1, 1, 0]
