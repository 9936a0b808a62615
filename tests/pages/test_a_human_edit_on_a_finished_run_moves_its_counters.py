"""A person's edit submitted after the run finished has no controller to adopt it: its evaluation still
moves the run's counters, and its best when it is better, as the run page and API report them."""

import pytest
from django.urls import reverse

from evolution.models import RunState
from provenance.models import Candidate

pytestmark = pytest.mark.django_db

BETTER = "def keep(seed):\n    return seed.r <= seed.r_top and seed.s <= seed.s_top\n"
CRASHES = "def keep(seed):\n    return seed.r // 0 == 1\n"
WORST = -1e9  # the run's best so far: any complete rule beats it


@pytest.fixture
def finished(run, founder):
    RunState.objects.filter(run=run).update(
        status=RunState.Status.FINISHED, candidates=1, evaluations=1, best_score=WORST, best_candidate=founder
    )
    return run


def submit(client, parent, source, capture) -> Candidate:
    with capture(execute=True):
        client.post(reverse("pages:candidate-edit", args=[parent.pk]), {"source": source})
    return Candidate.objects.filter(run=parent.run).latest("seq")


def test_a_better_edit_counts_and_becomes_the_best(
    as_alice, finished, founder, django_capture_on_commit_callbacks
):
    edit = submit(as_alice, founder, BETTER, django_capture_on_commit_callbacks)
    evaluation = edit.evaluations.get()
    assert evaluation.verdict == "complete" and evaluation.score > WORST
    state = RunState.objects.get(run=finished)
    assert (state.candidates, state.evaluations, state.failures) == (2, 2, 0)
    assert (state.best_candidate_id, state.best_score) == (edit.pk, evaluation.score)
    assert state.status == RunState.Status.FINISHED


def test_a_failing_edit_counts_as_a_failure_and_leaves_the_best(
    as_alice, finished, founder, django_capture_on_commit_callbacks
):
    edit = submit(as_alice, founder, CRASHES, django_capture_on_commit_callbacks)
    assert edit.evaluations.get().verdict == "failed"
    state = RunState.objects.get(run=finished)
    assert (state.candidates, state.evaluations, state.failures) == (2, 2, 1)
    assert (state.best_candidate_id, state.best_score) == (founder.pk, WORST)


def test_on_a_running_run_the_controller_counts_it_not_the_worker(
    as_alice, run, founder, django_capture_on_commit_callbacks
):
    RunState.objects.filter(run=run).update(status=RunState.Status.RUNNING, candidates=1, evaluations=1)
    submit(as_alice, founder, BETTER, django_capture_on_commit_callbacks)
    state = RunState.objects.get(run=run)
    assert (state.candidates, state.evaluations, state.best_candidate_id) == (1, 1, None)
