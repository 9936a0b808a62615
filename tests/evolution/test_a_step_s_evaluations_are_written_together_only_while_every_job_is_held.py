"""In the embedded mode one process scores a step's candidates one after another, and writes their evaluations
and their jobs' ends together: one write for the step, made only where the process still holds every one of
its jobs. A job taken over meanwhile leaves the whole write unmade and the others handed back, to be scored
again; a job someone else holds or has finished is left to them; a process cut off hands its claims back."""

import pytest
from django.db import connection

from evolution import evaluation
from evolution.controller import Controller
from evolution.evaluation import claim, evaluate_together, queue_job
from evolution.models import EvaluationJob
from evolution.search_log import COPIES
from provenance import ledger
from provenance.chain import chain_name
from provenance.models import Candidate, ChainHead, Evaluation
from provenance.verify import verify
from tests.evolution.conftest import KIRA3, config
from tests.provenance.alone import statements

pytestmark = pytest.mark.django_db(transaction=True)

RULES = [KIRA3, "def keep(seed):\n    return seed.d == 0\n", "def keep(seed):\n    return seed.s <= 1\n"]


@pytest.fixture
def step(controller):
    """Three candidates of one step, their jobs queued."""
    agent = ledger.literature_agent("Kira 3", "P. Maierhöfer, J. Usovitsch, P. Uwer", "arXiv:1705.05610")
    made = [ledger.record_candidate(controller.run, source=source, activity="literature", agent=agent)
            for source in RULES]
    for candidate in made:
        queue_job(candidate)
    return made


def jobs(candidates) -> list[tuple[str, str]]:
    rows = dict(EvaluationJob.objects.filter(pk__in=[c.pk for c in candidates]).values_list("pk", "status"))
    return [rows[c.pk] for c in candidates]


def evaluation_writes(sent: list[str]) -> list[str]:
    return [sql for sql in sent if "INSERT INTO" in sql and "provenance_evaluation" in sql]


def test_a_step_s_evaluations_and_its_jobs_ends_are_one_write(step):
    with statements() as sent:
        evaluate_together([c.pk for c in step], "eager")
    assert jobs(step) == ["done"] * 3
    assert [c.evaluations.count() for c in step] == [1, 1, 1]
    assert len(evaluation_writes(sent)) == 1
    if connection.vendor == "postgresql":  # the jobs' ends, the evaluations and the head: one statement
        assert evaluation_writes(sent)[0].startswith("WITH guard AS")
    assert all(report.intact for report in verify())


def test_one_job_taken_over_meanwhile_leaves_the_write_unmade_and_the_others_handed_back(step, monkeypatch):
    real, turn = evaluation.score_candidate, []
    head = ChainHead.objects.get(name=chain_name(step[0].run_id))

    def overtaken(candidate, *args, **kwargs):
        turn.append(candidate.pk)
        if len(turn) == 3:  # while the last is scored, the second's lease runs out and another takes it
            EvaluationJob.objects.filter(pk=step[1].pk).update(status="queued")
            assert claim(step[1].pk, "worker-b") is not None
        return real(candidate, *args, **kwargs)

    monkeypatch.setattr(evaluation, "score_candidate", overtaken)
    evaluate_together([c.pk for c in step], "eager")
    assert Evaluation.objects.filter(candidate__in=step).count() == 0
    assert jobs(step) == ["queued", "running", "queued"]
    assert EvaluationJob.objects.get(pk=step[1].pk).worker == "worker-b"
    assert ChainHead.objects.get(name=chain_name(step[0].run_id)).seq == head.seq
    monkeypatch.undo()
    evaluate_together([step[0].pk, step[2].pk], "eager")  # sent again: scored and written
    assert jobs(step) == ["done", "running", "done"]
    assert all(report.intact for report in verify())


def test_a_job_another_worker_holds_is_left_to_it(step):
    assert claim(step[1].pk, "worker-b") is not None
    evaluate_together([c.pk for c in step], "eager")
    assert jobs(step) == ["done", "running", "done"]
    assert [c.evaluations.count() for c in step] == [1, 0, 1]
    assert EvaluationJob.objects.get(pk=step[1].pk).worker == "worker-b"


def test_a_process_cut_off_mid_step_hands_every_claim_back_and_writes_nothing(step, monkeypatch):
    real, turn = evaluation.score_candidate, []

    def cut_off(candidate, *args, **kwargs):
        turn.append(candidate.pk)
        if len(turn) == 2:
            raise KeyboardInterrupt
        return real(candidate, *args, **kwargs)

    monkeypatch.setattr(evaluation, "score_candidate", cut_off)
    with pytest.raises(KeyboardInterrupt):
        evaluate_together([c.pk for c in step], "eager")
    assert jobs(step) == ["queued"] * 3
    assert EvaluationJob.objects.filter(pk__in=[c.pk for c in step], token="").count() == 3
    assert Evaluation.objects.filter(candidate__in=step).count() == 0


def test_an_embedded_run_writes_its_evaluations_once_per_step(project, alice):
    controller = Controller.start(project, config(budget=12), user=alice)
    with statements() as sent:
        controller.evolve()
    proposed = Candidate.objects.filter(run=controller.run).exclude(activity__in=COPIES)
    steps = {c.params.get("step", "founding") for c in proposed}
    assert len(steps) < proposed.count()  # some step proposed several: else this shows nothing
    assert all(c.evaluations.exists() for c in proposed)
    assert len(evaluation_writes(sent)) == len(steps)
    assert all(report.intact for report in verify())
