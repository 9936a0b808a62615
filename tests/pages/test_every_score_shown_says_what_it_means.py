"""A score is explained wherever it appears: −50262 is an incomplete rule's penalty (how many integrals
unreduced, from which seed pool), not 50262 seeds; a complete score is minus the seeds."""

import pytest
from django.urls import reverse

from evolution.models import RunState
from provenance import ledger
from web.scores import explain

pytestmark = pytest.mark.django_db


@pytest.fixture
def incomplete(run, founder, gp):
    child = ledger.record_candidate(run, source="def keep(seed):\n    return seed.r < 1\n",
                                    activity="gp_mutation", agent=gp, parents=[(founder, "parent")], island=0)
    ledger.record_evaluation(child, problem="rank3", verdict="incomplete", score=-50262, unreduced=19)
    return child


def test_an_incomplete_score_names_the_unreduced_integrals_and_the_pool(incomplete):
    said = explain(incomplete.evaluations.all())
    assert said.short == "incomplete on rank3, 19 integrals unreduced (a penalty, not seeds)"
    assert "−50262 = −(seed pool 50242 + 1) − 19" in said.long


def test_a_complete_score_is_minus_the_seeds(founder):
    said = explain(founder.evaluations.all())
    assert (said.score, said.complete, said.short) == (-120, True, "complete: 120 seeds")


def test_a_capped_or_failed_rule_is_said_to_be_so(run, gp):
    capped = ledger.record_candidate(run, source="def keep(seed):\n    return True\n", activity="gp_mutation",
                                     agent=gp)
    ledger.record_evaluation(capped, problem="rank3", verdict="incomplete", score=-100488,
                             details={"capped": True, "selected": 60000, "cap": 1000})
    assert "over the cap of 1000" in explain(capped.evaluations.all()).long
    failed = ledger.record_candidate(run, source="def keep(seed):\n    return 1/0\n", activity="gp_mutation",
                                     agent=gp)
    ledger.record_evaluation(failed, problem="rank3", verdict="failed", failure="exception")
    assert explain(failed.evaluations.all()).short == "failed on rank3"


def test_the_candidate_run_and_project_pages_explain_their_scores(as_alice, run, incomplete):
    RunState.objects.filter(run=run).update(best_score=-50262, best_candidate=incomplete)
    pages = [reverse("pages:candidate", args=[incomplete.pk]), reverse("pages:run", args=[run.pk]),
             reverse("pages:project", args=[run.project.slug])]
    for url in pages:
        html = as_alice.get(url).content.decode()
        assert "19 integrals unreduced (a penalty, not seeds)" in html, url
