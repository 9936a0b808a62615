"""The run page says when the run requires rank growth, and what that refuses; a run without the
requirement says nothing of it."""

import pytest
from django.urls import reverse

from evolution.runs import start_run
from provenance import ledger

pytestmark = pytest.mark.django_db

SAID = "The run requires rank growth"


@pytest.mark.parametrize("required", [True, False])
def test_the_page_names_the_requirement_when_the_run_makes_it(as_alice, project, alice, gp, required):
    run = start_run(project, family="trianglebox", problems=["rank1", "rank2", "rank3"], engine="gp",
                    started_by=alice, config={"rank_growth": required})
    child = ledger.record_candidate(run, source="def keep(seed):\n    return seed.d == 0\n",
                                    activity="gp_mutation", agent=gp, island=0)
    for problem, seeds in (("rank1", 72), ("rank2", 73), ("rank3", 86)):
        ledger.record_evaluation(child, problem=problem, verdict="complete", seeds=seeds, score=-seeds)
    html = as_alice.get(reverse("pages:run", args=[run.pk])).content.decode()
    assert (SAID in html) is required
    assert ("a corner of its targets" in html) is required
