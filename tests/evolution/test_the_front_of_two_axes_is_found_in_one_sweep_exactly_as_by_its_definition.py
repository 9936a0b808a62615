"""front_of finds the points no other point dominates. With two axes (a run page's seeds against a cost,
~10,000 points) it does so in one sorted sweep; with any number of axes the result is the definition's:
every point that no other is as good as on every axis and better on one, equal points all kept, best
first (lexicographically, equal points in the order given)."""

import numpy as np
import pytest

from evolution.database.island import front_of


def by_definition(points: np.ndarray) -> list[int]:
    kept = [i for i, p in enumerate(points)
            if not any(np.all(q >= p) and np.any(q > p) for q in points)]
    return sorted(kept, key=lambda i: (tuple(-points[i]), i))


@pytest.mark.parametrize("axes", [1, 2, 3])
def test_random_points_with_many_ties_give_the_definition_s_front_in_its_order(axes):
    rng = np.random.default_rng(axes)
    for _ in range(400):
        points = rng.integers(-5, 1, size=(int(rng.integers(1, 30)), axes)).astype(float)
        assert front_of(points).tolist() == by_definition(points), points.tolist()


def test_a_single_point_and_equal_points_are_all_on_the_front():
    assert front_of(np.array([[-3.0, -4.0]])).tolist() == [0]
    assert front_of(np.array([[-3.0, -4.0]] * 3)).tolist() == [0, 1, 2]


def test_a_point_equal_on_one_axis_and_worse_on_the_other_is_dominated():
    points = np.array([(-92, -20000), (-92, -21000), (-90, -21000), (-90, -25000)], dtype=float)
    assert front_of(points).tolist() == [2, 0]
