"""Zero (scaleless) sectors are found by Lee's criterion and their integrals never enter a system."""

from collections import Counter

import numpy as np

from solver.family import load_family
from solver.point import random_point
from solver.sectors import is_zero_sector, zero_sectors
from solver.seeds import enumerate_integrals
from solver.system import build_system


def test_trianglebox_has_41_zero_sectors_of_64(trianglebox):
    table = zero_sectors(trianglebox)
    assert len(table) == 64
    assert sum(table.values()) == 41
    nonzero = [mask for mask, zero in table.items() if not zero]
    assert Counter(bin(m).count("1") for m in nonzero) == {6: 1, 5: 6, 4: 12, 3: 4}


def test_massless_tadpoles_and_on_shell_bubbles_of_the_box_are_zero():
    box = load_family("box1")
    assert is_zero_sector(box, 0b0001)  # massless tadpole
    assert is_zero_sector(box, 0b0011)  # bubble with an on-shell massless leg p1^2 = 0
    assert not is_zero_sector(box, 0b0101)  # s-channel bubble
    assert not is_zero_sector(box, 0b1111)
    assert sum(zero_sectors(box).values()) == 9


def test_massive_tadpoles_are_not_zero():
    assert not is_zero_sector(load_family("bubble"), 0b01)
    assert not is_zero_sector(load_family("sunrise"), 0b011)


def test_no_equation_mentions_an_integral_of_a_zero_sector(trianglebox):
    system = build_system(
        trianglebox, random_point(trianglebox), enumerate_integrals(trianglebox, 7, 2, max_d=1)
    )
    table = zero_sectors(trianglebox)
    sectors = ((system.integrals > 0) * (1 << np.arange(7))).sum(axis=1)
    assert not any(table[int(m)] for m in sectors)
    assert (np.diff(system.indptr) > 0).all()
