"""A row that is not a record but holds a record's id (a candidate's evaluation job, chain.depend) is written
with the records: in the one statement of an append alone on PostgreSQL, in the records' transaction
otherwise (SQLite; a head another writer moved; a hold that is not alone). Where the records are not written
(a guard that no longer holds), neither is the row: a candidate never lacks its job, nor a job its
candidate."""

import pytest
from django.db import connection

from evolution.evaluation import new_jobs
from evolution.models import EvaluationJob, RunState
from provenance import ledger
from provenance.models import Candidate
from provenance.optimistic import Guard
from provenance.verify import verify
from tests.provenance.alone import elsewhere, statements

pytestmark = pytest.mark.django_db(transaction=True)
POSTGRES = connection.vendor == "postgresql"
GP = "def keep(seed):\n    return seed.d == 0\n"


def _candidate(run, founder, gp):
    return ledger.record_candidate(run, source=GP, activity="gp_mutation", agent=gp,
                                   parents=[(founder, "parent")])


def _state(run) -> Guard:
    RunState.objects.update_or_create(run=run, defaults={"controller_token": "ours"})
    return Guard(RunState._meta.db_table, "run_id = %s AND controller_token = %s", (run.pk, "ours"),
                 "message = %s", ("held",))


def test_a_job_appended_alone_is_written_with_its_candidate(run, founder, gp):
    guard = _state(run)
    with statements() as sent, ledger.batch(run, alone=True, guard=guard) as chain:
        candidate = _candidate(run, founder, gp)
        chain.depend(new_jobs([candidate]), "candidate")
    job = EvaluationJob.objects.get(candidate=candidate)
    assert (job.run_id, job.status, job.attempts, job.token) == (run.pk, "queued", 0, "")
    assert job.created_at is not None and job.sent_at is not None
    if POSTGRES:
        (write,) = [sql for sql in sent if not sql.startswith("SELECT")]  # record_candidate's checks read
        assert '"provenance_candidate"' in write and '"evolution_evaluationjob"' in write
    assert all(report.intact for report in verify())


def test_where_the_guard_no_longer_holds_neither_candidate_nor_job_is_written(run, founder, gp):
    guard = _state(run)
    RunState.objects.filter(run=run).update(controller_token="theirs")
    with ledger.batch(run, alone=True, guard=guard) as chain:
        candidate = _candidate(run, founder, gp)
        chain.depend(new_jobs([candidate]), "candidate")
    assert not chain.written
    assert not Candidate.objects.filter(source=GP).exists() and not EvaluationJob.objects.exists()


@pytest.mark.skipif(not POSTGRES, reason="a guessed head is PostgreSQL's one-statement path")
def test_on_a_head_another_writer_moved_the_job_is_written_under_the_lock_with_its_candidate(run, founder,
                                                                                            gp):
    elsewhere(lambda: ledger.record_evaluation(founder, problem="rank3", verdict="complete", score=-9,
                                               seeds=9))
    with statements() as sent, ledger.batch(run, alone=True) as chain:
        candidate = _candidate(run, founder, gp)
        chain.depend(new_jobs([candidate]), "candidate")
    assert any("FOR UPDATE" in sql for sql in sent[1:])  # the guess refused, then the lock
    assert EvaluationJob.objects.get(candidate=candidate).candidate_id == candidate.pk
    assert all(report.intact for report in verify())


def test_in_a_hold_that_is_not_alone_the_job_is_written_once_its_candidate_is(run, founder, gp):
    with ledger.batch(run) as chain:
        candidate = _candidate(run, founder, gp)
        chain.depend(new_jobs([candidate]), "candidate")
        assert candidate.pk is not None  # written as record_candidate's own hold ended
    assert EvaluationJob.objects.filter(candidate=candidate).count() == 1
