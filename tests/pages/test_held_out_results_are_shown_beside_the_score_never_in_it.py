"""A rule's results on problems its run never trained on (held out) are shown on the run and candidate pages
and in the lineage, beside its score: the score, its seeds and its rank are its run's problems' alone."""

import pytest
from django.urls import reverse

from evolution.models import RunState
from evolution.runs import start_run
from provenance import ledger
from web.node_scores import node_scores

pytestmark = pytest.mark.django_db

RULE = "def keep(seed):\n    return seed.d == 0 and seed.s <= seed.s_top - (seed.t_top - seed.t)\n"


@pytest.fixture
def best(project, alice, laporta):
    run = start_run(project, family="trianglebox", problems=["rank3"], engine="gp", started_by=alice,
                    config={"held_out": ["rank4", "rank5"]})
    candidate = ledger.record_candidate(run, source=RULE, activity="literature", agent=laporta)
    ledger.record_evaluation(candidate, problem="rank3", verdict="complete", score=-92, seeds=92)
    ledger.record_evaluation(candidate, problem="rank4", verdict="complete", score=-205, seeds=205,
                             details={"held_out": True})
    RunState.objects.filter(run=run).update(status="finished", evaluations=1, best_score=-92,
                                            best_candidate=candidate)
    return candidate


def test_the_run_page_gives_the_best_rule_s_held_out_results_beside_its_own(as_alice, best):
    html = as_alice.get(reverse("pages:run", args=[best.run_id])).content.decode()
    assert "<dd>92</dd>" in html  # best seeds: rank3 only
    assert "never trained on: held out (never trained on), rank4: complete with 205 seeds" in html


def test_the_candidate_page_scores_the_run_s_problems_and_lists_the_held_out_one(as_alice, best):
    html = as_alice.get(reverse("pages:candidate", args=[best.pk])).content.decode()
    assert "complete: 92 seeds" in html
    assert not any(total in html for total in ("297 seeds", "−297", "-297"))  # held out summed in: wrong
    assert "held out (never trained on), rank4: complete with 205 seeds" in html


def test_the_lineage_ranks_a_node_by_its_run_s_problems(best):
    assert node_scores([best.pk])[best.pk].text == "92 seeds"
