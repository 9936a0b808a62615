"""The edit form offers the run's problems, all ticked, and the family's other problems; the edit is
evaluated on those ticked, each problem's result shown on its page. An edit on the run's problems (and
others beside) competes in the run on the run's problems; one that leaves a run's problem out is scored
apart; ticking nothing, or a problem the family does not have, is refused with nothing written."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from evolution.models import RunState
from provenance import ledger
from provenance.models import Candidate
from solver.family import load_family
from web.progress import progress

pytestmark = pytest.mark.django_db

EDITED = "def keep(seed):\n    return seed.r <= seed.r_top and seed.s <= seed.s_top\n"


def submit(client, parent, capture, *problems, **fields):
    data = {"source": EDITED, "problems-shown": "1", "problems": list(problems), **fields}
    with capture(execute=True):
        return client.post(reverse("pages:candidate-edit", args=[parent.pk]), data)


def boxes(html: str) -> list[str]:
    found = re.findall(r'<input type="checkbox" name="problems" value="([^"]+)"( checked)?>', html)
    return [name + (" ticked" if checked else "") for name, checked in found]


def test_the_form_ticks_the_run_s_problems_and_offers_the_family_s_others(as_alice, founder):
    html = as_alice.get(reverse("pages:candidate-edit", args=[founder.pk])).content.decode()
    others = [p.name for p in load_family("trianglebox").problems if p.name != "rank3"]
    assert boxes(html) == ["rank3 ticked", *others] and {"rank1", "rank2", "rank4"} <= set(others)
    assert "<legend>Evaluate on the run's problems</legend>" in html
    assert "<legend>And on other problems of the family trianglebox (optional)</legend>" in html


def test_the_run_s_problems_as_ticked_are_the_default_and_leave_the_record_as_before(
    as_alice, founder, django_capture_on_commit_callbacks
):
    submit(as_alice, founder, django_capture_on_commit_callbacks, "rank3", rationale="tighter")
    edit = Candidate.objects.get(activity="human_edit")
    assert edit.params == {"rationale": "tighter"}
    assert [e.problem for e in edit.evaluations.all()] == ["rank3"]


def test_an_extra_problem_is_evaluated_and_shown_and_the_run_counts_its_own(
    as_alice, run, founder, django_capture_on_commit_callbacks
):
    response = submit(as_alice, founder, django_capture_on_commit_callbacks, "rank4", "rank3")
    edit = Candidate.objects.get(activity="human_edit")
    assert edit.params == {"problems": ["rank3", "rank4"]}  # the run's first, as the run orders them
    scored = {e.problem: e for e in edit.evaluations.all()}
    assert set(scored) == {"rank3", "rank4"} and scored["rank4"].verdict == "complete"
    html = as_alice.get(response["Location"]).content.decode()
    table = html[html.index('<table class="evaluations">'):].split("</table>")[0]
    assert "<td>rank3</td>" in table and "<td>rank4</td>" in table
    history = progress(run)  # counted in the run with its score on rank3 alone
    assert history.evaluated == 2 and history.best[-1][1] == max(-120, scored["rank3"].score)


def test_an_edit_that_leaves_out_a_run_s_problem_is_scored_apart(
    as_alice, run, founder, django_capture_on_commit_callbacks
):
    RunState.objects.filter(run=run).update(status=RunState.Status.FINISHED, candidates=1, evaluations=1,
                                            best_score=-1e9, best_candidate=founder)
    submit(as_alice, founder, django_capture_on_commit_callbacks, "rank1")
    edit = Candidate.objects.get(activity="human_edit")
    assert edit.params == {"problems": ["rank1"]}
    assert [(e.problem, e.verdict) for e in edit.evaluations.all()] == [("rank1", "complete")]
    state = RunState.objects.get(run=run)  # a score over rank1 is no score over the run's rank3
    assert (state.evaluations, state.best_candidate_id) == (1, founder.pk)
    assert progress(run).evaluated == 1


@pytest.mark.parametrize("ticked, said", [
    ((), "tick at least one problem"),
    (("rank3", "rank9"), "no problem &#x27;rank9&#x27; in the family trianglebox"),
])
def test_a_bad_choice_is_refused_with_nothing_written(
    as_alice, founder, django_capture_on_commit_callbacks, ticked, said
):
    response = submit(as_alice, founder, django_capture_on_commit_callbacks, *ticked)
    assert response.status_code == 400 and said in response.content.decode()
    assert Candidate.objects.count() == 1


def test_reevaluate_scores_an_edit_on_the_problems_chosen_for_it(
    as_alice, run, laporta, django_capture_on_commit_callbacks, capsys
):
    unscored = ledger.record_candidate(run, source=EDITED, activity="literature", agent=laporta)
    submit(as_alice, unscored, django_capture_on_commit_callbacks, "rank3", "rank4")
    call_command("reevaluate", str(run.pk))
    assert "1 candidates re-scored, 0 differ" in capsys.readouterr().out
