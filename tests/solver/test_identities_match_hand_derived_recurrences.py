"""The derived identities: L·(L+E) IBP and E(E−1)/2 LI per seed, and correct coefficients checked
against recurrences derived by hand."""

import numpy as np
import pytest

from solver.family import load_family, parse_family
from solver.identities import templates
from solver.point import random_point
from solver.reduction import reduce_seeds

TADPOLE = """
name = "tadpole"
loop_momenta = ["k"]
invariants = ["msq"]
propagators = ["k^2 - msq"]
"""


@pytest.mark.parametrize(
    ("name", "ibp", "li"), [("trianglebox", 8, 1), ("box1", 4, 3), ("dbox", 10, 3), ("sunrise", 6, 0)]
)
def test_each_seed_gets_l_times_l_plus_e_ibp_and_e_choose_2_li(name, ibp, li):
    kinds = [t.kind for t in templates(load_family(name))]
    assert kinds.count("ibp") == ibp
    assert kinds.count("li") == li


def test_the_massive_tadpole_obeys_its_textbook_recurrence():
    # ∂/∂k·k on 1/(k²−m²)^a:  (d − 2a) I(a) − 2a m² I(a+1) = 0, so I(2) = (d − 2)/(2 m²) · I(1).
    family = parse_family(TADPOLE)
    point = random_point(family, 5)
    p, d, msq = point.prime, point.d, dict(point.values)["msq"]
    result = reduce_seeds(family, [(2,)], np.array([[1]]), [(1,)], point)
    assert result.complete
    expected = (d - 2) * pow(2 * msq, -1, p) % p
    assert result.coefficients[(2,)] == {(1,): expected}


def test_a_dotted_tadpole_three_steps_down():
    family = parse_family(TADPOLE)
    point = random_point(family, 6)
    p, d, msq = point.prime, point.d, dict(point.values)["msq"]
    result = reduce_seeds(family, [(4,)], np.array([[1], [2], [3]]), [(1,)], point)
    expected = 1
    for a in (1, 2, 3):
        expected = expected * (d - 2 * a) * pow(2 * a * msq, -1, p) % p
    assert result.coefficients[(4,)] == {(1,): expected}
