"""A rule that a run requiring rank growth did not reduce is told as such, with the reason, not as a rule
over the seed cap or one left with integrals unreduced."""

import pytest

from provenance import ledger
from web.scores import explain

pytestmark = pytest.mark.django_db

WHY = "it drops I(0, 0, 1, 1, 1, 0, -1), a corner of its targets with 1 more numerator power"


def test_the_score_says_the_rule_was_not_reduced_and_why(run, gp):
    candidate = ledger.record_candidate(run, source="def keep(seed):\n    return seed.s <= 3\n",
                                        activity="gp_mutation", agent=gp)
    ledger.record_evaluation(candidate, problem="rank3", verdict="incomplete", score=-100522, seeds=92,
                             details={"rank_growth": WHY, "selected": 92, "cap": 6764})
    said = explain(candidate.evaluations.all())
    assert said.long == (f"rank3: not reduced, the run requires rank growth and {WHY}; "
                         "penalty −100522 = −2 × (seed pool + 1).")
    assert "cap" not in said.long


def test_under_a_weighted_objective_too(run, gp):
    candidate = ledger.record_candidate(run, source="def keep(seed):\n    return seed.s <= 2\n",
                                        activity="gp_mutation", agent=gp)
    ledger.record_evaluation(candidate, problem="rank3", verdict="incomplete", score=-5.1e12, seeds=80,
                             details={"rank_growth": WHY, "objective": "seeds+0.1*equations"})
    said = explain(candidate.evaluations.all())
    assert f"not reduced: {WHY} (the run requires rank growth)" in said.long
