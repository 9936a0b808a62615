"""A job whose task message is lost (a broker restarted, a task acknowledged after a database error) does not
leave its run waiting for ever: the controller sends its task again once the job has sat queued for
SEEDTRACE_EVALUATION_RESEND seconds, and the run completes, every candidate evaluated once, nothing more
recorded. Here every message of the starting population is purged from Redis before any worker runs."""

import json
import uuid

import pytest
from celery import Celery
from django.db.models import Count

from evolution.models import EvaluationJob, RunState
from provenance.models import Candidate, Evaluation, Run
from provenance.verify import verify
from tests.worker import BROKERS, celery_worker, manage, reaped, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

BUDGET, POPULATION = 8, 4


def purge(queue: str) -> int:
    """Drop every message waiting on the queue, as a broker restarted without them would."""
    client = Celery("seedtrace-test-purge", broker=BROKERS["redis"][0], set_as_current=False)
    try:
        with client.connection_for_write() as connection:
            return connection.default_channel.queue_purge(queue) or 0
    finally:
        client.close()


def test_the_controller_sends_lost_messages_again_and_the_run_completes(project, monkeypatch):
    monkeypatch.setenv("SEEDTRACE_EVALUATION_RESEND", "2")  # for the controller: instead of a minute
    queue = f"seedtrace-test-{uuid.uuid4().hex[:12]}"
    evolve = manage("evolve", "--family", "trianglebox", "--problem", "rank3", "--budget", str(BUDGET),
                    "--population", str(POPULATION), "--seed", "6", "--json", "--verbosity", "0",
                    broker="redis", queue=queue)
    with reaped(evolve):
        run = wait_until(Run.objects.first, 60, "the run to start")
        dropped = []  # no worker is there yet: every message of the founders is still on the queue

        def drop() -> bool:
            dropped.append(purge(queue))
            return sum(dropped) >= POPULATION

        wait_until(drop, 60, "the founders' messages to purge")
        created = dict(EvaluationJob.objects.filter(run=run).values_list("candidate_id", "created_at"))
        with celery_worker("redis", queue=queue):
            out, err = evolve.communicate(timeout=180)
    assert evolve.returncode == 0, err
    assert json.loads(out)["evaluations"] == BUDGET
    assert RunState.objects.get(run=run).status == "finished"
    jobs = EvaluationJob.objects.filter(run=run)
    assert [job.status for job in jobs] == ["done"] * BUDGET
    assert all(jobs.get(pk=pk).sent_at > at for pk, at in created.items())  # sent again
    assert Candidate.objects.filter(run=run).count() == BUDGET
    per_candidate = Evaluation.objects.filter(run=run).values("candidate").annotate(n=Count("id"))
    assert sorted(row["n"] for row in per_candidate) == [1] * BUDGET
    assert all(report.intact for report in verify(run.pk))
