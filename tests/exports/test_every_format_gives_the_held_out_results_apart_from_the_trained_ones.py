"""The results that open every export give the final rule's results on problems its run never trained on
(held out) as rows of their own, marked so, beside the literature's numbers; the header names them; the
rule is ranked on the run's own problems only."""

import json

import pytest

from evolution.runs import start_run
from provenance import ledger
from provenance.exports import export
from provenance.exports.latex import supplement
from provenance.exports.results import best, results
from provenance.exports.scope import run_scope
from provenance.exports.transcript import transcript

pytestmark = pytest.mark.django_db
RULE = "def keep(seed):\n    return seed.d == 0 and seed.s <= seed.s_top - (seed.t_top - seed.t)\n"


def flat(text: str) -> str:
    return " ".join(text.replace("\\textquotesingle{}", "'").replace("-{}", "-").replace("\\", "").split())


@pytest.fixture
def run(project, alice, laporta):
    run = start_run(project, family="trianglebox", problems=["rank3"], engine="gp", started_by=alice,
                    config={"held_out": ["rank4", "rank5"]})
    ours = ledger.record_candidate(run, source=RULE, activity="literature", agent=laporta)
    ledger.record_evaluation(ours, problem="rank3", verdict="complete", score=-92, seeds=92, equations=828)
    ledger.record_evaluation(ours, problem="rank4", verdict="complete", score=-205, seeds=205, equations=1845,
                             details={"held_out": True})
    # Fewer seeds over everything it has results on, but worse on the run's own problem: not the final rule.
    other = ledger.record_candidate(run, source=RULE.replace("seed.d == 0", "seed.d <= 0"),
                                    activity="literature", agent=laporta)
    ledger.record_evaluation(other, problem="rank3", verdict="complete", score=-95, seeds=95)
    return run


@pytest.fixture
def laporta():
    return ledger.literature_agent("Kira-3 rule", "Kira 3", "arXiv:2505.20197")


def test_held_out_rows_follow_the_trained_ones_marked_and_with_the_baselines(run):
    found = results(run_scope(run))
    assert best(run_scope(run)) == found.candidate and found.candidate.evaluations.count() == 2
    assert [(row.problem, row.held_out) for row in found.rows] == [
        ("rank3", False), ("rank4", True), ("rank5", True)]
    rank4, rank5 = found.rows[1].cells(), found.rows[2].cells()
    assert rank4[:4] == ["rank4 (held out)", "complete", "205", "1845"]
    assert rank4[-1] == "205 / 1845"  # floored Kira-3 on rank4, computed by the solver
    assert rank5[:2] == ["rank5 (held out)", "not evaluated"]
    assert any("rank4, rank5 were held out (never trained on)" in line for line in found.unchecked)


def test_the_markdown_latex_and_prov_say_held_out(run):
    scope = run_scope(run)
    for text in (flat(transcript(scope)), flat(supplement(scope))):
        assert "rank4 (held out)" in text and "held out (never trained on): rank4, rank5" in text
    prov = json.loads(export("prov", run=run.pk).content)
    held = [e for name, e in prov["entity"].items() if name.startswith("st:final-") and "st:held_out" in e]
    assert sorted(e["st:problem"] for e in held) == ["rank4", "rank5"]
