"""Redis restarting mid-run (empty: every message it held is gone) costs no worker and no job. The workers
reconnect and go on; the controller, which cannot hand out tasks while Redis is down, keeps the jobs in
their rows and, seeing the run stalled, sends them again after three heartbeats rather than the minute a
lost message waits otherwise; the run completes with every candidate evaluated once and the ledger
intact."""

import json
import uuid

import pytest
from django.db.models import Count

from evolution.models import EvaluationJob, RunState
from provenance.models import Evaluation, Run
from provenance.verify import verify
from tests.redis_server import NoRedis, RedisServer
from tests.worker import celery_worker, manage, reaped, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

BUDGET = 40


@pytest.fixture
def redis():
    try:
        server = RedisServer()
    except NoRedis as missing:
        pytest.skip(str(missing))
    yield server
    server.close()


def evaluated(run) -> int:
    return EvaluationJob.objects.filter(run=run, status="done").count()


def test_workers_and_the_controller_ride_out_two_redis_restarts(project, redis):
    queue = f"seedtrace-test-{uuid.uuid4().hex[:12]}"
    with celery_worker(redis.url, pool="prefork", queue=queue) as client:
        evolve = manage("evolve", "--family", "trianglebox", "--problem", "rank3", "--budget", str(BUDGET),
                        "--population", "4", "--seed", "9", "--json", "--verbosity", "0",
                        broker=redis.url, queue=queue)
        with reaped(evolve):
            run = wait_until(Run.objects.first, 60, "the run to start")
            for at_least in (6, 16):
                wait_until(lambda n=at_least: evaluated(run) >= n, 120, f"{at_least} evaluations")
                redis.restart(down=3)
            out, err = evolve.communicate(timeout=240)
        assert client.worker.poll() is None, "the worker died with Redis"
    assert evolve.returncode == 0, err
    assert json.loads(out)["evaluations"] == BUDGET
    assert RunState.objects.get(run=run).status == "finished"
    per_candidate = Evaluation.objects.filter(run=run).values("candidate").annotate(n=Count("id"))
    assert sorted(row["n"] for row in per_candidate) == [1] * BUDGET
    assert all(report.intact for report in verify(run.pk))
    jobs = EvaluationJob.objects.filter(run=run)
    waits = [(job.finished_at - job.created_at).total_seconds() for job in jobs]
    assert max(waits) < 40  # heartbeat 5 s: stalled for 15 s, looked at every 2.5 s; the re-send is at 60 s
