"""`evolve --workers 2` without a broker evaluates in a local pool of spawned processes and records the same
lineage as one worker: every job done, every candidate evaluated once, the chain intact."""

import json

import pytest
from django.db.models import Count

from evolution.models import EvaluationJob
from provenance.models import Candidate, Evaluation, Run
from provenance.verify import verify
from tests.worker import manage

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

BUDGET = 8


def test_two_local_workers_evaluate_every_candidate_once():
    evolve = manage("evolve", "--family", "trianglebox", "--problem", "rank3", "--budget", str(BUDGET),
                    "--population", "4", "--workers", "2", "--seed", "5", "--json", "--verbosity", "0")
    out, err = evolve.communicate(timeout=180)
    assert evolve.returncode == 0, err
    summary = json.loads(out)
    run = Run.objects.get()
    assert (summary["run"], summary["evaluations"]) == (run.pk, BUDGET)
    assert Candidate.objects.filter(run=run).count() == BUDGET
    jobs = EvaluationJob.objects.filter(run=run)
    assert [job.status for job in jobs] == ["done"] * BUDGET
    assert all(job.worker.startswith("pool:") and job.attempts == 1 for job in jobs)
    per_candidate = Evaluation.objects.filter(run=run).values("candidate").annotate(n=Count("id"))
    assert sorted(row["n"] for row in per_candidate) == [1] * BUDGET
    assert run.state.status == "finished" and run.state.in_flight == 0
    assert all(report.intact for report in verify(run.pk))
