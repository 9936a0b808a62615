"""A family may declare symmetries (permutations of its propagators); the double box declares its two mirror
symmetries and has 12 masters without symmetries, 8 with them (the literature's count), at any prime and
point. Reductions are still judged against the masters without symmetries."""

import json

from solver.family import load_family
from solver.masters import (
    WITH_SYMMETRIES,
    WITHOUT_SYMMETRIES,
    describe_count,
    family_masters,
    master_counts,
    masters_path,
    reference_masters,
)
from solver.point import PRIMES


def test_the_double_box_declares_its_left_right_and_up_down_mirrors():
    assert dict(load_family("dbox").symmetries) == {
        "left_right": (6, 5, 4, 3, 2, 1, 7, 9, 8),
        "up_down": (3, 2, 1, 6, 5, 4, 7, 8, 9),
    }


def test_the_stored_record_holds_both_counts():
    dbox = load_family("dbox")
    stored = json.loads(masters_path(dbox).read_text())
    assert (stored["counted"], stored["count"]) == (WITHOUT_SYMMETRIES, 12)
    with_sym = stored["with_symmetries"]
    assert (with_sym["counted"], with_sym["count"], len(with_sym["masters"])) == (WITH_SYMMETRIES, 8, 8)
    assert set(with_sym["symmetries"]) == {"left_right", "up_down"}
    assert master_counts(dbox) == {WITHOUT_SYMMETRIES: 12, WITH_SYMMETRIES: 8}
    assert len(family_masters(dbox)) == 12  # what a reduction is judged against


def test_eight_with_symmetries_at_another_prime_and_point():
    dbox = load_family("dbox")
    masters, info = reference_masters(dbox, 1, PRIMES[1], symmetries=True, point_seed=11)
    assert len(masters) == 8
    assert info["symmetry_relations"] > 0
    stored = json.loads(masters_path(dbox).read_text())["with_symmetries"]["masters"]
    assert masters == [tuple(m) for m in stored]


def test_a_family_without_symmetries_says_so():
    assert master_counts(load_family("trianglebox")) == {WITHOUT_SYMMETRIES: 16, WITH_SYMMETRIES: None}
    assert describe_count(load_family("trianglebox")) == (
        "16 master integrals without symmetries (the family declares no symmetries)"
    )
    assert describe_count(load_family("dbox")) == (
        "12 master integrals without symmetries (8 with the family's symmetries left_right, up_down)"
    )
