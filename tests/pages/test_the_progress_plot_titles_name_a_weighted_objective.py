"""Under a weighted objective the best rule so far is the best score, not always the fewest seeds: the
progress plots' titles name the objective instead of claiming the fewest seeds."""

import pytest
from django.urls import reverse

from evolution.runs import start_run
from provenance import ledger

pytestmark = pytest.mark.django_db

MIX = "seeds+0.1*equations"


def test_the_titles_name_the_objective_that_picks_the_best(as_alice, project, alice, gp):
    run = start_run(project, family="trianglebox", problems=["rank3"], engine="gp", started_by=alice,
                    config={"objective": MIX})
    for seeds, equations in ((96, 400), (100, 300)):  # the second is better by the objective, with more seeds
        child = ledger.record_candidate(run, source=f"def keep(seed):\n    return seed.r <= {seeds}\n",
                                        activity="gp_mutation", agent=gp, island=0)
        ledger.record_evaluation(child, problem="rank3", verdict="complete", seeds=seeds, equations=equations,
                                 score=-(seeds + 0.1 * equations), details={"objective": MIX})
    html = as_alice.get(reverse("pages:run", args=[run.pk])).content.decode()
    assert f"Seeds of the best rule so far by the objective {MIX}: overall and per island" in html
    assert f"Seeds of the best rule so far by the objective {MIX}: per agent" in html
    assert "Fewest seeds so far" not in html
