"""Masters: box1 3, trianglebox 16, dbox 12 (known counts with IBP + LI and no symmetries), and the other
built-in families (xtri3m, the crossed triangle: 28, our own count); computed by a reference reduction,
stable when r and s grow, stored beside the family file."""

import json
import shutil

import pytest

from solver.family import load_family
from solver.masters import VERSION, compute_masters, family_masters, family_masters_record, masters_path

KNOWN = {"box1": 3, "trianglebox": 16, "dbox": 12, "tri3m": 4, "sunrise": 7, "bubble": 3, "xtri3m": 28}


@pytest.mark.parametrize(("name", "count"), KNOWN.items())
def test_the_stored_masters_match_the_family_file_and_the_known_count(name, count):
    family = load_family(name)
    stored = json.loads(masters_path(family).read_text())
    assert stored["family_hash"] == family.source_hash
    assert stored["solver_version"] == VERSION
    assert stored["count"] == len(stored["masters"]) == count
    assert len(family_masters(family)) == count


@pytest.mark.parametrize("name", ["box1", "trianglebox", "tri3m", "sunrise", "bubble", "xtri3m"])
def test_recomputing_the_masters_gives_the_stored_ones(name):
    family = load_family(name)
    record = compute_masters(family)
    assert record["masters"] == json.loads(masters_path(family).read_text())["masters"]
    assert record["stability_check"]["level"] == record["reference"]["level"] + 1


@pytest.mark.slow
def test_recomputing_the_double_box_masters_gives_twelve():
    assert compute_masters(load_family("dbox"))["count"] == 12


def test_masters_are_recomputed_when_the_family_file_changes(tmp_path):
    copy = tmp_path / "box1.toml"
    shutil.copy(masters_path(load_family("box1")).with_name("box1.toml"), copy)
    copy.write_text(copy.read_text() + "\n# an edit changes the hash\n")
    family = load_family(copy)
    record = family_masters_record(family)
    assert record["count"] == 3
    assert json.loads((tmp_path / "box1.masters.json").read_text())["family_hash"] == family.source_hash
