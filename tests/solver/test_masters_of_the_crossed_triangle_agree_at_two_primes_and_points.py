"""The two-loop crossed triangle (xtri3m, added for issue 19): its 28 masters, counted without symmetries, are
the same at two primes and two points, at both reference levels, and are what is stored beside its file."""

import json

import pytest

from solver.family import load_family
from solver.masters import WITHOUT_SYMMETRIES, masters_path, reference_masters
from solver.point import PRIMES


@pytest.fixture(scope="module")
def xtri3m():
    return load_family("xtri3m")


@pytest.mark.parametrize("level", [1, 2])
def test_the_masters_are_the_same_at_two_primes_and_points(xtri3m, level):
    first, info_first = reference_masters(xtri3m, level, PRIMES[0])
    second, info_second = reference_masters(xtri3m, level, PRIMES[1], point_seed=7)
    assert info_first["prime"] != info_second["prime"]
    assert info_first["point"] != info_second["point"]
    assert first == second
    assert len(first) == 28


def test_the_stored_record_says_how_they_are_counted(xtri3m):
    stored = json.loads(masters_path(xtri3m).read_text())
    assert stored["count"] == 28 and stored["counted"] == WITHOUT_SYMMETRIES
    assert "with_symmetries" not in stored  # the family declares none
    assert [tuple(m) for m in stored["masters"]] == reference_masters(xtri3m, 1, PRIMES[1], point_seed=3)[0]


def test_its_file_says_the_masters_are_counted_without_symmetries(xtri3m):
    text = xtri3m.path.read_text()
    assert "28, counted WITHOUT symmetries" in text
