"""SIGTERM (a deploy, `systemctl stop`, `kill`) stops `evolve` as Ctrl-C does: the run is marked stopped, not
left running, with the command that continues it; that command then takes it up at once."""

import signal

import pytest

from evolution.models import RunState
from provenance.models import Candidate, Run
from provenance.verify import verify
from tests.worker import manage, reaped, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_sigterm_marks_the_run_stopped_with_the_resume_command(project):
    evolve = manage("evolve", "--family", "trianglebox", "--problem", "rank3", "--budget", "400",
                    "--population", "4", "--seed", "4", "--verbosity", "0")
    with reaped(evolve):
        run = wait_until(Run.objects.first, 60, "the run to start")
        wait_until(lambda: Candidate.objects.filter(run=run).count() >= 6, 120, "6 candidates")
        evolve.send_signal(signal.SIGTERM)
        _, err = evolve.communicate(timeout=60)
    assert evolve.returncode == 1
    assert f"stopped by SIGTERM; continue with: manage.py evolve --resume {run.pk}" in err
    state = RunState.objects.get(run=run)
    assert state.status == "stopped" and state.controller_token is None
    assert state.message == f"stopped by SIGTERM; continue with `evolve --resume {run.pk}`"
    assert all(report.intact for report in verify(run.pk))

    resumed = manage("evolve", "--resume", str(run.pk), "--minutes", "0.02", "--verbosity", "0")
    _, err = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, err
    assert "taking over" not in err  # nobody to take it from
    assert RunState.objects.get(run=run).status == "finished"
