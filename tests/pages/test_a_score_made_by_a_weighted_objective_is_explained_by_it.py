"""A score made by a weighted objective is told as such, not as minus the seeds or a seed-pool penalty."""

import pytest

from provenance import ledger
from web.scores import explain

pytestmark = pytest.mark.django_db

MIX = "seeds+0.001*multiply_adds"


def test_complete_and_incomplete_scores_name_the_objective_that_made_them(run, gp):
    complete = ledger.record_candidate(run, source="def keep(seed):\n    return seed.d == 0\n",
                                       activity="gp_mutation", agent=gp)
    ledger.record_evaluation(complete, problem="rank3", verdict="complete", score=-104.5, seeds=92,
                             details={"objective": MIX, "work": {"multiply_adds": 12500}})
    said = explain(complete.evaluations.all())
    assert said.long == f"rank3: complete with 92 seeds; score −104.5 by the objective {MIX}."
    incomplete = ledger.record_candidate(run, source="def keep(seed):\n    return seed.t > 5\n",
                                         activity="gp_mutation", agent=gp)
    ledger.record_evaluation(incomplete, problem="rank3", verdict="incomplete", score=-3.7e12, unreduced=4,
                             details={"objective": MIX})
    said = explain(incomplete.evaluations.all())
    assert "4 integrals not reduced to masters, a penalty below every complete score" in said.long
    assert "seed pool" not in said.long and f"by the objective {MIX}" in said.long
