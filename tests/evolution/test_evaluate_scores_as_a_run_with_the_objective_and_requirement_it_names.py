"""`evaluate --objective … --rank-growth` scores a rule file as a run with that objective and requirement
would, so that a person can check by hand what a run recorded; a bad objective is refused."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from evolution.gp import KIRA3_FLOORED

OVERFIT = ("def keep(seed):\n    return seed.s <= 3 - (seed.t_top - seed.t) and seed.d == 0 and "
           "seed.s <= max(1, seed.s_top - (seed.t_top - seed.t))\n")


def evaluate(tmp_path, source: str, *args: str) -> list[dict]:
    rule = tmp_path / "rule.py"
    rule.write_text(source)
    out = StringIO()
    call_command("evaluate", str(rule), "--family", "trianglebox", "--problem", "rank3", *args, "--json",
                 stdout=out)
    return json.loads(out.getvalue())["problems"]


def test_a_weighted_objective_scores_the_complete_reduction_by_its_terms(tmp_path):
    (rank3,) = evaluate(tmp_path, KIRA3_FLOORED.source, "--objective", "seeds+0.1*equations")
    assert rank3["verdict"] == "complete"
    assert rank3["score"] == -(rank3["seeds"] + 0.1 * rank3["equations"])
    assert rank3["details"]["objective"] == "seeds+0.1*equations"


def test_rank_growth_refuses_a_rule_that_drops_its_target_at_the_next_rank(tmp_path):
    (plain,) = evaluate(tmp_path, OVERFIT)
    (required,) = evaluate(tmp_path, OVERFIT, "--rank-growth")
    assert plain["verdict"] == "complete"
    assert required["verdict"] == "incomplete" and required["score"] < plain["score"]
    assert required["details"]["rank_growth"] == (
        "it drops I(1, 1, 1, 1, 1, 1, -4), a corner of its targets with 1 more numerator power")


def test_the_table_says_why_a_rule_was_not_reduced(tmp_path):
    rule = tmp_path / "rule.py"
    rule.write_text(OVERFIT)
    out = StringIO()
    call_command("evaluate", str(rule), "--family", "trianglebox", "--problem", "rank3", "--rank-growth",
                 stdout=out)
    assert "a corner of its targets with 1 more numerator power" in out.getvalue()


def test_an_objective_outside_the_grammar_is_refused(tmp_path):
    with pytest.raises(CommandError, match="unknown term"):
        evaluate(tmp_path, KIRA3_FLOORED.source, "--objective", "seeds+__import__")
