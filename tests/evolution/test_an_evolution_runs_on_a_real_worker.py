"""The distributed mode end to end: `evolve` with a broker hands every evaluation to a Celery worker process
(Redis, the test database) and finishes its budget with the same records as the embedded mode."""

import json

import pytest
from django.db.models import Count

from evolution.models import EvaluationJob
from provenance.models import Candidate, Evaluation, Run
from provenance.verify import verify
from tests.worker import celery_worker, manage

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

BUDGET = 10


def test_a_worker_evaluates_every_candidate_of_the_run():
    with celery_worker("redis") as client:
        queue = client.conf.task_default_queue
        evolve = manage("evolve", "--family", "trianglebox", "--problem", "rank3", "--budget", str(BUDGET),
                        "--population", "4", "--seed", "2", "--json", "--verbosity", "0",
                        broker="redis", queue=queue)
        out, err = evolve.communicate(timeout=180)
        assert evolve.returncode == 0, err
    run = Run.objects.get()
    assert json.loads(out)["evaluations"] == BUDGET
    assert Candidate.objects.filter(run=run).count() == BUDGET
    jobs = EvaluationJob.objects.filter(run=run)
    assert [job.status for job in jobs] == ["done"] * BUDGET
    assert {job.worker.split("@")[0].rsplit("-", 1)[0] for job in jobs} == {queue}  # not "eager"
    per_candidate = Evaluation.objects.filter(run=run).values("candidate").annotate(n=Count("id"))
    assert sorted(row["n"] for row in per_candidate) == [1] * BUDGET
    assert all(report.intact for report in verify(run.pk))
