"""`python -m solver reduce ...` (and solver.cli.main, which manage.py reduce wraps)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from solver.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_json_prints_the_result_object(capsys):
    assert main(["reduce", "trianglebox", "--problem", "rank3", "--rule", "kira3", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["complete"] is True
    assert (result["seeds"], result["equations"]) == (92, 828)
    assert len(result["masters"]) == 16
    for key in ("unreduced", "independent_equations", "seconds", "prime", "point"):
        assert key in result


def test_the_table_shows_every_problem_of_the_family(capsys):
    assert main(["reduce", "trianglebox", "--rule", "kira3"]) == 0
    out = capsys.readouterr().out
    assert "rank1" in out and "rank4" in out
    assert "NO" in out and "yes" in out


def test_a_target_and_laporta_bounds_can_be_given(capsys):
    argv = ["reduce", "box1", "--target", "2,1,1,1", "--rule", "laporta", "--r", "5", "--s", "0", "--json"]
    assert main(argv) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["targets"] == [[2, 1, 1, 1]] and result["complete"]


def test_no_li_and_check_are_reported(capsys):
    argv = [
        "reduce",
        "trianglebox",
        "--problem",
        "rank3",
        "--rule",
        "kira3",
        "--no-li",
        "--check",
        "2",
        "--json",
    ]
    assert main(argv) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["li"] is False and result["complete"] is False
    assert result["checks"][0]["agree"] is True


def test_a_rule_file_is_used(tmp_path, capsys):
    rule = tmp_path / "rule.py"
    rule.write_text(
        "def keep(seed):\n    return seed.d == 0 and seed.s <= max(1, seed.s_top - (seed.t_top - seed.t))\n"
    )
    assert main(["reduce", "trianglebox", "--problem", "rank1", "--rule-file", str(rule), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["seeds"] == 88


def test_masters_are_listed(capsys):
    assert main(["reduce", "box1", "--masters", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["count"] == 3


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["reduce", "nosuchfamily"], "no family file 'nosuchfamily'"),
        (["reduce", "trianglebox", "--problem", "rank9"], "no problem named 'rank9'"),
        (["reduce", "trianglebox", "--rule-file", "/nonexistent/rule.py"], "cannot read"),
        (["reduce", "trianglebox", "--target", "1,1,1"], "the family has 7"),
    ],
)
def test_errors_exit_2_with_a_message_and_no_traceback(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_a_malformed_family_file_fails_the_module_command_cleanly(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "bad"\nloop_momenta = ["k"]\npropagators = ["k^3"]\n')
    done = subprocess.run(
        [sys.executable, "-m", "solver", "reduce", str(bad)], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 2
    assert "propagators[0]" in done.stderr and "not quadratic" in done.stderr
    assert "Traceback" not in done.stderr
