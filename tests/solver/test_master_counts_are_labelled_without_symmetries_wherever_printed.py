"""Every master count the solver prints says it is counted without symmetries; where the family declares
symmetries (dbox) the count with them is printed beside it."""

import json

from solver.cli import main


def test_the_masters_listing_gives_both_counts(capsys):
    assert main(["reduce", "dbox", "--masters"]) == 0
    out = capsys.readouterr().out
    both = "12 master integrals without symmetries (8 with the family's symmetries left_right, up_down)"
    assert both in out
    assert "with symmetries (left_right, up_down): 8 master integrals" in out


def test_the_masters_listing_of_a_family_without_symmetries_says_so(capsys):
    assert main(["reduce", "trianglebox", "--masters"]) == 0
    out = capsys.readouterr().out
    assert "16 master integrals without symmetries (the family declares no symmetries)" in out


def test_the_masters_json_says_how_each_count_is_counted(capsys):
    assert main(["reduce", "dbox", "--masters", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert (record["counted"], record["count"]) == ("without symmetries", 12)
    with_sym = record["with_symmetries"]
    assert (with_sym["counted"], with_sym["count"]) == ("with symmetries", 8)


def test_the_reduction_table_and_json_say_without_symmetries(capsys):
    assert main(["reduce", "trianglebox", "--problem", "rank3", "--rule", "kira3"]) == 0
    assert "16 master integrals without symmetries" in capsys.readouterr().out
    assert main(["reduce", "trianglebox", "--problem", "rank3", "--rule", "kira3", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["masters_counted"] == "without symmetries"
