"""No controller holds an imported run: a run archived while running comes back with its controller lost
(to be resumed where it was imported), and archives from before controllers held runs still load."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from evolution.models import RunState
from evolution.runs import controller_of
from provenance import ledger
from provenance.exports import export
from provenance.exports.loader import load

pytestmark = pytest.mark.django_db

LAPORTA = "def keep(seed):\n    return seed.r <= seed.r_top + 1 and seed.s <= seed.s_top\n"


@pytest.fixture
def archive(controller):
    """The run's archive (jsonl lines) while its controller runs it."""
    literature = ledger.literature_agent("Laporta rule", "S. Laporta (2000)", "hep-ph/0102033")
    ledger.record_candidate(controller.run, source=LAPORTA, activity="literature", agent=literature,
                            params={"founder": True})
    RunState.objects.filter(run=controller.run).update(status="running", controller="lab-3:4242",
                                                       controller_token="0123:1", heartbeat_at=timezone.now())
    return export("jsonl", run=controller.run.pk).content.splitlines()


def imported_state(lines, project, user) -> RunState:
    (run,) = load(lines, project=project, user=user).runs.values()
    return RunState.objects.get(run=run)


def test_a_run_archived_while_running_comes_back_with_no_controller(archive, other_project, bob):
    state = imported_state(archive, other_project, bob)
    assert (state.status, state.controller, state.controller_token) == ("running", "lab-3:4242", None)
    later = timezone.now() + timedelta(minutes=1)
    assert controller_of(state, now=later).lost  # to be resumed here


def test_an_archive_from_before_controller_leases_still_loads(archive, other_project, bob):
    old = []
    for line in archive:
        row = json.loads(line)
        if row["type"] == "run_state":
            for column in ("controller", "controller_token", "heartbeat_at"):
                del row[column]
        old.append(json.dumps(row).encode())
    state = imported_state(old, other_project, bob)
    assert (state.status, state.controller, state.controller_token, state.heartbeat_at) == (
        "running", None, None, None)
