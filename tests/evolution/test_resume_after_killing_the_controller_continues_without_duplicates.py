"""`evolve --resume` after the controller was killed continues the run without duplicate candidates, and the
run it finishes is the one an uninterrupted controller makes from the same seed.

The embedded mode is deterministic: every random decision is drawn from the run's seed and a step or draw
number, and resume rebuilds the program database from the recorded events.
"""

import json
import os
import signal

import pytest
from django.db.models import Count

from evolution.controller import Controller
from evolution.models import EvaluationJob
from provenance.models import Candidate, Evaluation, Run, RunEvent
from provenance.verify import verify
from tests.evolution.conftest import config
from tests.worker import manage, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

BUDGET, POPULATION, SEED = 60, 4, 3
EVOLVE = ("evolve", "--family", "trianglebox", "--problem", "rank3", "--budget", str(BUDGET),
          "--population", str(POPULATION), "--seed", str(SEED), "--json", "--verbosity", "0")


def candidates_of(run: Run) -> int:
    return Candidate.objects.filter(run=run).count()


def events_of(run: Run) -> list[tuple]:
    """The run's database events, candidate ids written as positions in the run: comparable across runs."""
    position = {pk: i for i, pk in enumerate(Candidate.objects.filter(run=run).order_by("seq")
                                             .values_list("pk", flat=True))}
    events = []
    for payload in RunEvent.objects.filter(run=run).order_by("seq").values_list("payload", flat=True):
        payload = dict(payload)
        for key in ("program_id", "founder_program_id"):
            if key in payload:
                payload[key] = position[payload[key]]
        if "program_ids" in payload:
            payload["program_ids"] = [position[pk] for pk in payload["program_ids"]]
        events.append(tuple(sorted((key, str(value)) for key, value in payload.items())))
    return events


def test_a_killed_run_resumes_to_its_budget_as_if_never_interrupted(project):
    first = manage(*EVOLVE)
    try:
        run = wait_until(Run.objects.first, 60, "the run to start")
        wait_until(lambda: candidates_of(run) >= 20, 120, "20 candidates")
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.communicate()
    assert candidates_of(run) < BUDGET

    resumed = manage("evolve", "--resume", str(run.pk), "--json", "--verbosity", "0")
    out, err = resumed.communicate(timeout=180)
    assert resumed.returncode == 0, err
    assert json.loads(out)["evaluations"] == BUDGET

    candidates = list(Candidate.objects.filter(run=run).order_by("seq"))
    assert len(candidates) == BUDGET
    steps = [c.params["step"] for c in candidates if "step" in c.params]
    assert steps == list(range(BUDGET - POPULATION))
    assert EvaluationJob.objects.filter(run=run, status="done").count() == BUDGET
    per_candidate = Evaluation.objects.filter(run=run).values("candidate").annotate(n=Count("id"))
    assert sorted(row["n"] for row in per_candidate) == [1] * BUDGET  # one problem
    assert all(report.intact for report in verify(run.pk))

    uninterrupted = Controller.start(project, config(budget=BUDGET, population=POPULATION, seed=SEED))
    uninterrupted.evolve()
    again = list(Candidate.objects.filter(run=uninterrupted.run).order_by("seq"))
    assert [c.source for c in candidates] == [c.source for c in again]
    assert [(c.activity, c.island) for c in candidates] == [(c.activity, c.island) for c in again]
    assert events_of(run) == events_of(uninterrupted.run)
