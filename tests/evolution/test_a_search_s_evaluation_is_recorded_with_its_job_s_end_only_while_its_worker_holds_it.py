"""A search's candidate (a founder, a mutant, a model's program) has its evaluations and its job's end written
together, and only while the worker that scored it still holds the job: one taken over meanwhile (the lease
ran out) records nothing, and its job is left to the worker that holds it. On PostgreSQL that is one statement
outside any transaction; on SQLite, a transaction under the chain's lock."""

import pytest
from django.db import connection

from evolution.evaluation import claim, evaluate_candidate, queue_job
from evolution.models import EvaluationJob
from provenance import ledger
from provenance.chain import chain_name
from provenance.models import ChainHead
from provenance.verify import verify
from tests.evolution.conftest import KIRA3
from tests.provenance.alone import statements

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def founder(controller):
    agent = ledger.literature_agent("Kira 3", "P. Maierhöfer, J. Usovitsch, P. Uwer", "arXiv:1705.05610")
    candidate = ledger.record_candidate(controller.run, source=KIRA3, activity="literature", agent=agent)
    queue_job(candidate)
    return candidate


def test_the_evaluations_and_the_job_s_end_are_written_together(founder):
    with statements() as sent:
        assert evaluate_candidate(founder.pk, "worker-a").state == "done"
    job = EvaluationJob.objects.get(pk=founder.pk)
    assert job.status == "done" and job.finished_at is not None
    assert founder.evaluations.count() == 1
    writes = [sql for sql in sent if "provenance_evaluation" in sql or "SET status" in sql]
    if connection.vendor == "postgresql":  # the job's end, the evaluation and the head: one statement
        assert len(writes) == 1 and writes[0].startswith("WITH guard AS")
    assert all(report.intact for report in verify())


def test_a_worker_whose_job_was_taken_over_meanwhile_records_nothing(founder, monkeypatch):
    from evolution import evaluation

    real, taken = evaluation.score_candidate, []
    head = ChainHead.objects.get(name=chain_name(founder.run_id))

    def overtaken(*args, **kwargs):
        verdicts = real(*args, **kwargs)
        # The lease ran out while it scored: the job is handed back and another worker claims it.
        EvaluationJob.objects.filter(pk=founder.pk).update(status="queued")
        taken.append(claim(founder.pk, "worker-b"))
        return verdicts

    monkeypatch.setattr(evaluation, "score_candidate", overtaken)
    assert evaluate_candidate(founder.pk, "worker-a").state == "finished"
    assert founder.evaluations.count() == 0
    job = EvaluationJob.objects.get(pk=founder.pk)
    assert (job.status, job.worker, job.finished_at) == ("running", "worker-b", None)
    assert ChainHead.objects.get(name=chain_name(founder.run_id)).seq == head.seq
    monkeypatch.undo()
    # The worker that holds it records, on the chain as the one that wrote nothing left it.
    assert evaluation._evaluate(founder.pk, taken[0]).state == "done"
    assert founder.evaluations.count() == 1
    assert EvaluationJob.objects.get(pk=founder.pk).status == "done"
    assert all(report.intact for report in verify())
