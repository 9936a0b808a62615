"""A worker killed mid-evaluation loses nothing and evaluates nothing twice (real workers on Redis).

The message is acknowledged only when the task ends (acks_late), so Redis hands it out again once its
visibility timeout has passed; the job's claim keeps any other delivery off the job until the lease runs out.
"""

import time

import pytest

from evolution.models import EvaluationJob
from provenance.verify import verify
from tests.evolution.rules import slow_kira3
from tests.worker import celery_worker, job_of, kill, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

# Seconds. The task's time limit is the lease, so it must hold a worker's first evaluation, which also builds
# the problem and starts the sandbox (several seconds on a loaded machine). The visibility timeout is as long:
# Redis hands the message out again only once the dead worker's claim has run out, and never a second copy to
# a live worker in the middle of an evaluation.
LEASE = VISIBILITY = 12
APP = "tests.celery_app"  # sweeps Redis for unacknowledged messages every second
SLOW_KIRA3 = slow_kira3(300)  # a second or more on rank3


def assert_evaluated_once(candidate) -> None:
    (evaluation,) = candidate.evaluations.all()
    assert (evaluation.problem, evaluation.verdict, evaluation.seeds) == ("rank3", "complete", 92)
    assert all(report.intact for report in verify(candidate.run_id))


def test_a_killed_workers_job_is_taken_over_once_its_lease_runs_out(human_candidate):
    candidate = human_candidate(SLOW_KIRA3)
    env = {"SEEDTRACE_EVALUATION_LEASE": str(LEASE), "CELERY_VISIBILITY_TIMEOUT": str(VISIBILITY)}
    with celery_worker("redis", pool="prefork", extra_env=env, app=APP) as first:
        first.send_task("evolution.evaluate_candidate", args=[candidate.pk])
        claimed = wait_until(lambda: job_of(candidate, "running"), 60, "the first worker's claim")
        time.sleep(0.5)  # well inside the evaluation
        kill(first.worker)
        queue = first.conf.task_default_queue
        with celery_worker("redis", pool="prefork", extra_env=env, queue=queue, app=APP):
            job = wait_until(lambda: job_of(candidate, "done"), 60, "the second worker to finish the job")
    assert job.attempts == 2 and job.worker != claimed.worker
    assert_evaluated_once(candidate)


def test_a_task_delivered_twice_while_it_runs_is_evaluated_once(human_candidate):
    candidate = human_candidate(SLOW_KIRA3)
    with celery_worker("redis", pool="prefork", concurrency=2,
                       extra_env={"SEEDTRACE_EVALUATION_LEASE": str(LEASE)}) as client:
        first = client.send_task("evolution.evaluate_candidate", args=[candidate.pk])
        wait_until(lambda: job_of(candidate, "running"), 60, "the worker's claim")
        second = client.send_task("evolution.evaluate_candidate", args=[candidate.pk])
        # The copy finds the job claimed ("busy"), retries when the claim would expire, finds it done.
        replies = [first.get(timeout=60), second.get(timeout=60)]
    assert replies == ["done", "finished"]
    assert EvaluationJob.objects.get(pk=candidate.pk).attempts == 1
    assert_evaluated_once(candidate)
