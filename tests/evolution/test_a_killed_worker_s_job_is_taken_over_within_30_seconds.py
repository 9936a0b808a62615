"""A worker killed mid-evaluation costs seconds, not a lease: with default settings its job is evaluated by
another worker within 30 s. While it evaluates, a worker beats on its claim every 5 s; a claim silent for
three heartbeats is taken over. Killed whole (nothing acknowledged, the message held by Redis for its
visibility timeout), the controller sends the job again; a pool child killed alone, Celery hands the message
back at once and the copy retries when the claim falls silent."""

import time
from pathlib import Path

import pytest

from evolution.evaluation import queue_job
from evolution.models import EvaluationJob, RunState
from provenance import ledger
from provenance.models import Candidate, Run
from provenance.verify import verify
from tests.evolution.rules import slow_kira3
from tests.worker import celery_worker, job_of, kill, manage, reaped, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

APP = "tests.celery_app"  # the project's app (it changes only how often Redis is swept)
TAKEN_OVER_WITHIN = 30.0
SLOW_KIRA3 = slow_kira3(1200)  # about two seconds on rank3


def slow_candidate(run: Run, person) -> Candidate:
    candidate = ledger.record_candidate(run, source=SLOW_KIRA3, activity="human",
                                        agent=ledger.person_agent(person), island=0)
    queue_job(candidate)
    return candidate


def kill_mid_evaluation(candidate, kill_it) -> tuple[EvaluationJob, float]:
    """Wait for the candidate's claim, kill its worker inside the evaluation; the claim and when it died."""
    claimed = wait_until(lambda: job_of(candidate, "running"), 60, "a worker's claim")
    time.sleep(0.3)
    kill_it()
    died = time.monotonic()
    assert job_of(candidate, "running"), "the worker finished before it was killed: nothing to take over"
    return claimed, died


def assert_evaluated_once(candidate, claimed: EvaluationJob, died: float) -> None:
    job = wait_until(lambda: job_of(candidate, "done"), TAKEN_OVER_WITHIN + 30, "the job to be taken over")
    waited = time.monotonic() - died
    assert waited <= TAKEN_OVER_WITHIN, f"taken over {waited:.1f} s after its worker died"
    assert job.attempts == 2 and job.token != claimed.token
    (evaluation,) = candidate.evaluations.all()
    assert (evaluation.problem, evaluation.verdict, evaluation.seeds) == ("rank3", "complete", 92)


def test_a_killed_worker_s_job_is_sent_again_by_the_controller_and_evaluated(project, alice):
    with celery_worker("redis", pool="prefork", app=APP) as first:
        queue = first.conf.task_default_queue
        evolve = manage("evolve", "--family", "trianglebox", "--problem", "rank3", "--budget", "10",
                        "--population", "4", "--seed", "8", "--verbosity", "0", broker="redis", queue=queue)
        with reaped(evolve):
            run = wait_until(Run.objects.first, 60, "the run to start")
            candidate = slow_candidate(run, alice)  # a person's, joining the running evolution
            first.send_task("evolution.evaluate_candidate", args=[candidate.pk])
            claimed, died = kill_mid_evaluation(candidate, lambda: kill(first.worker))
            with celery_worker("redis", pool="prefork", queue=queue, app=APP):
                assert_evaluated_once(candidate, claimed, died)
                # The jobs the dead worker had reserved are sent again after a minute queued; the run ends.
                _, err = evolve.communicate(timeout=240)
    assert evolve.returncode == 0, err
    assert RunState.objects.get(run=run).status == "finished"
    assert set(EvaluationJob.objects.filter(run=run).values_list("status", flat=True)) == {"done"}
    assert all(c.evaluations.count() == 1 for c in Candidate.objects.filter(run=run))
    assert all(report.intact for report in verify(run.pk))


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def test_a_killed_pool_child_s_job_is_taken_over_by_the_copy_celery_hands_back(human_candidate):
    candidate = human_candidate(SLOW_KIRA3)
    with celery_worker("redis", pool="prefork", app=APP) as client:
        client.send_task("evolution.evaluate_candidate", args=[candidate.pk])
        (child,) = wait_until(lambda: children_of(client.worker.pid), 60, "the pool's child")

        def kill_the_child():
            import os
            import signal

            os.kill(child, signal.SIGKILL)

        claimed, died = kill_mid_evaluation(candidate, kill_the_child)
        assert_evaluated_once(candidate, claimed, died)
    assert all(report.intact for report in verify(candidate.run_id))
