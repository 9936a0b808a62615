"""`evaluate RULE.py` scores a rule file through exactly the sandbox + solver path of an evolution."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from evolution.gp import KIRA3, KIRA3_FLOORED


def evaluate(tmp_path, source: str, *args: str) -> dict:
    rule = tmp_path / "rule.py"
    rule.write_text(source)
    out = StringIO()
    call_command("evaluate", str(rule), "--family", "trianglebox", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


def test_kira3_is_complete_on_rank3_with_92_seeds(tmp_path):
    (rank3,) = evaluate(tmp_path, KIRA3.source, "--problem", "rank3")["problems"]
    assert (rank3["problem"], rank3["verdict"], rank3["seeds"], rank3["equations"]) == ("rank3", "complete",
                                                                                         92, 828)
    assert rank3["score"] == -92 and rank3["unreduced"] == 0


def test_floored_kira3_is_complete_on_every_rank_with_490_seeds_in_all(tmp_path):
    summary = evaluate(tmp_path, KIRA3_FLOORED.source, "--problem", "rank1,rank2,rank3,rank4")
    assert [(p["problem"], p["verdict"], p["seeds"]) for p in summary["problems"]] == [
        ("rank1", "complete", 88), ("rank2", "complete", 89), ("rank3", "complete", 108),
        ("rank4", "complete", 205)]
    assert summary["total_seeds"] == 490 and summary["signature"] == [-88, -89, -108, -205]


def test_a_refused_rule_fails_with_the_reason(tmp_path):
    source = "import os\n\ndef keep(seed):\n    return True\n"
    summary = evaluate(tmp_path, source, "--problem", "rank1,rank3")
    assert [(p["verdict"], p["failure"]) for p in summary["problems"]] == [("failed", "refused")] * 2
    assert "import" in summary["problems"][0]["error"]
    assert summary["signature"] is None and summary["total_seeds"] is None


def test_the_table_names_each_problem(tmp_path):
    rule = tmp_path / "kira3.py"
    rule.write_text(KIRA3.source)
    out = StringIO()
    call_command("evaluate", str(rule), "--family", "trianglebox", "--problem", "rank3", stdout=out)
    assert "rank3" in out.getvalue() and "complete" in out.getvalue() and "92" in out.getvalue()


@pytest.mark.parametrize("args, named", [
    (["--family", "nosuchfamily"], "nosuchfamily"),
    (["--family", "trianglebox", "--problem", "rank9"], "rank9"),
    (["--family", "trianglebox", "--cap", "lots"], "lots"),
])
def test_an_unknown_family_problem_or_cap_is_refused_by_name(tmp_path, args, named):
    rule = tmp_path / "kira3.py"
    rule.write_text(KIRA3.source)
    with pytest.raises(CommandError, match=named):
        call_command("evaluate", str(rule), *args)


def test_a_missing_rule_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("evaluate", str(tmp_path / "missing.py"), "--family", "trianglebox")
