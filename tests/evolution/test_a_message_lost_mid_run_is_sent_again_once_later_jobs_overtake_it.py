"""A message lost while the run goes on (a Redis restart that kept some messages and not others, a task
acknowledged after a database error) is sent again once a job sent three heartbeats after it has finished:
a queue delivers in order, so a message overtaken by that much is gone. It does not wait for the minute of
SEEDTRACE_EVALUATION_RESEND, nor for the run to run dry and stall. Here one message is stolen from Redis
mid-run, and the job it carried finishes while the controller is still proposing."""

import json
import uuid

import pytest
import redis
from django.db.models import Count

from evolution.models import EvaluationJob, RunState
from provenance.models import Evaluation, Run
from provenance.verify import verify
from tests.worker import BROKERS, celery_worker, manage, reaped, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

BUDGET = 300  # some 15 s of evaluations: time for three heartbeats to pass after the theft


def steal_one(queue: str) -> int:
    """Take one task message off the queue, as a broker that lost it would, and say whose job it carried."""
    client = redis.Redis.from_url(BROKERS["redis"][0])
    try:
        popped = client.brpop([queue], timeout=30)
    finally:
        client.close()
    assert popped is not None, "no message to steal"
    return int(json.loads(popped[1])["headers"]["argsrepr"].strip("(),"))  # "(123,)"


def test_a_message_overtaken_by_three_heartbeats_is_sent_again_while_the_run_goes_on(project, monkeypatch):
    monkeypatch.setenv("SEEDTRACE_HEARTBEAT", "1")  # three heartbeats: 3 s
    monkeypatch.setenv("SEEDTRACE_EVALUATION_RESEND", "600")  # the slow rule cannot be what finds it
    queue = f"seedtrace-test-{uuid.uuid4().hex[:12]}"
    evolve = manage("evolve", "--family", "trianglebox", "--problem", "rank3", "--budget", str(BUDGET),
                    "--population", "4", "--seed", "11", "--json", "--verbosity", "0",
                    broker="redis", queue=queue)
    with reaped(evolve):
        run = wait_until(Run.objects.first, 60, "the run to start")
        with celery_worker("redis", queue=queue):
            # Once the run is under way (stolen before, the stall at the start would find it).
            wait_until(lambda: EvaluationJob.objects.filter(run=run, status="done").count() >= 8, 120,
                       "8 evaluations")
            stolen = steal_one(queue)
            out, err = evolve.communicate(timeout=240)
    assert evolve.returncode == 0, err
    assert json.loads(out)["evaluations"] == BUDGET
    assert RunState.objects.get(run=run).status == "finished"
    jobs = EvaluationJob.objects.filter(run=run)
    lost = jobs.get(pk=stolen)
    assert lost.status == "done"
    later = jobs.exclude(pk=stolen).order_by("-created_at").first()
    assert lost.finished_at < later.created_at  # found while the run was still proposing, not once it stalled
    per_candidate = Evaluation.objects.filter(run=run).values("candidate").annotate(n=Count("id"))
    assert sorted(row["n"] for row in per_candidate) == [1] * BUDGET
    assert all(report.intact for report in verify(run.pk))
