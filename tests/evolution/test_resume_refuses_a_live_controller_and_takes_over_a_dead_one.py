"""A run has exactly one controller. `evolve --resume` refuses a run whose controller is alive, naming it, and
takes over one whose controller is dead (its process gone, or silent for three heartbeats); a controller
whose run was taken over stops without writing to the run, and without calling it failed."""

import json
import os
import signal
import socket
from datetime import timedelta

import pytest
from django.utils import timezone

from evolution.controller import Controller
from evolution.lease import ControllerAlive, ControllerLost
from evolution.models import EvaluationJob, RunState
from evolution.search_log import COPIES
from provenance.models import Candidate, Run
from provenance.verify import verify
from tests.worker import manage, wait_until

EVOLVE = ("evolve", "--family", "trianglebox", "--problem", "rank3", "--budget", "400", "--population", "4",
          "--seed", "9", "--json", "--verbosity", "0")


def candidates_of(run: Run) -> int:
    return Candidate.objects.filter(run=run).count()


def held_by(run: Run, name: str, seconds_ago: float) -> None:
    """The run's state as a controller on another machine leaves it."""
    RunState.objects.filter(run=run).update(status="running", controller=name, controller_token="0123:1",
                                            heartbeat_at=timezone.now() - timedelta(seconds=seconds_ago))


@pytest.mark.worker
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_resume_refuses_a_live_controller_then_takes_over_once_it_is_killed(project):
    first = manage(*EVOLVE)
    try:
        run = wait_until(Run.objects.first, 60, "the run to start")
        wait_until(lambda: candidates_of(run) >= 6, 120, "6 candidates")

        second = manage("evolve", "--resume", str(run.pk), "--json", "--verbosity", "0")
        out, err = second.communicate(timeout=120)
        assert second.returncode == 1 and out == ""
        assert f"run {run.pk} already has a live controller: {socket.gethostname()}:{first.pid}" in err
        assert "heard from" in err and "stop that one first" in err
        assert first.poll() is None  # untouched, and still going
        assert RunState.objects.get(run=run).status == "running"
    finally:
        os.killpg(first.pid, signal.SIGKILL)
        first.communicate()

    # Killed: its process is gone from this machine, so no need to wait for its heartbeat to fall silent.
    resumed = manage("evolve", "--resume", str(run.pk), "--minutes", "0.05", "--json", "--verbosity", "0")
    out, err = resumed.communicate(timeout=180)
    assert resumed.returncode == 0, err
    assert f"controller {socket.gethostname()}:{first.pid} lost" in err and "taking over" in err
    state = RunState.objects.get(run=run)
    assert (state.status, state.message, state.controller_token) == ("finished", "time limit reached", None)
    # Every proposal evaluated; copies the program database made (a migration, a reset) have no evaluation.
    proposals = Candidate.objects.filter(run=run).exclude(activity__in=COPIES).count()
    assert json.loads(out)["evaluations"] == proposals
    candidates = Candidate.objects.filter(run=run).order_by("seq")
    steps = [c.params["step"] for c in candidates if "step" in c.params]
    assert steps == list(range(len(steps)))
    assert set(EvaluationJob.objects.filter(run=run).values_list("status", flat=True)) == {"done"}
    assert all(report.intact for report in verify(run.pk))


@pytest.mark.django_db
def test_a_controller_elsewhere_is_refused_while_it_beats_and_taken_over_once_silent(controller):
    run = controller.run
    held_by(run, "lab-3:4242", seconds_ago=1)
    with pytest.raises(ControllerAlive, match=r"live controller: lab-3:4242, heard from 1 s ago"):
        Controller.resume(run)
    assert RunState.objects.get(run=run).controller == "lab-3:4242"

    held_by(run, "lab-3:4242", seconds_ago=16)  # three heartbeats (5 s each) missed
    resumed = Controller.resume(run)
    assert resumed.took_over.name == "lab-3:4242"
    state = RunState.objects.get(run=run)
    assert (state.controller, state.controller_token) == (resumed.lease.name, resumed.lease.token)


@pytest.mark.django_db(transaction=True)
def test_a_controller_whose_run_is_taken_over_stops_without_failing_it(controller, monkeypatch):
    real_step = controller._step

    def step_then_lose_the_run(dispatch):
        real_step(dispatch)
        if controller.steps == 3:  # another controller takes the run (as after a long silence)
            held_by(controller.run, "lab-3:4242", seconds_ago=0)

    monkeypatch.setattr(controller, "_step", step_then_lose_the_run)
    with pytest.raises(ControllerLost, match="taken over by lab-3:4242"):
        controller.evolve()
    state = RunState.objects.get(run=controller.run)
    assert (state.status, state.message, state.controller) == ("running", "", "lab-3:4242")
    assert candidates_of(controller.run) == controller.config.population + 3  # nothing written after
    assert all(report.intact for report in verify(controller.run.pk))
