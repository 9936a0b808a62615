"""A GP evolution records every candidate, its parents, its evaluation and the database's events."""

import pytest

from evolution.models import RunState
from provenance.models import Candidate, Edge, Evaluation, RunEvent
from provenance.verify import verify

# The controller hands jobs out when their rows are committed, as it must for real workers.
pytestmark = pytest.mark.django_db(transaction=True)


def test_every_candidate_is_recorded_with_its_lineage_and_evaluation(controller):
    final = controller.evolve()
    run = controller.run
    candidates = list(Candidate.objects.filter(run=run).order_by("seq"))
    assert len(candidates) == 16 == final.candidates
    founders = [c for c in candidates if c.params.get("founder")]
    assert [c.activity for c in founders] == ["literature"] + ["random_init"] * 3
    assert founders[0].agent.identifier == "hep-ph/0102033"
    for child in candidates[4:]:
        edges = list(Edge.objects.filter(child=child))
        if child.activity == "gp_crossover":
            assert sorted(e.role for e in edges) == ["crossover_donor", "parent"]
        elif child.activity == "gp_mutation":
            assert [e.role for e in edges] == ["parent"]
        assert child.agent.engine == "gp" and child.island is not None
    assert Evaluation.objects.filter(run=run).count() == 16  # one problem each
    registered = RunEvent.objects.filter(run=run, kind="register").count()
    assert registered == 16 - final.failures
    assert RunEvent.objects.filter(run=run, kind="sample").count() == 12  # one per step
    assert all(report.intact for report in verify(run.pk))


def test_the_run_state_shows_progress_and_the_best_candidate(controller):
    final = controller.evolve()
    state = RunState.objects.get(run=controller.run)
    assert state.status == "finished" and state.message == "budget reached"
    assert (state.candidates, state.evaluations, state.in_flight) == (16, 16, 0)
    best = Evaluation.objects.filter(run=controller.run).exclude(verdict="failed").order_by("-score").first()
    assert state.best_score == best.score == final.best_score
    assert state.best_candidate_id == final.best_candidate


def test_the_laporta_start_is_complete_and_scored_by_its_seeds(controller):
    controller.evolve()
    laporta = Candidate.objects.get(run=controller.run, activity="literature")
    (evaluation,) = laporta.evaluations.all()
    assert (evaluation.verdict, evaluation.seeds, evaluation.equations) == ("complete", 6764, 60876)
    assert evaluation.score == -6764 and evaluation.masters == 16
