"""A run as the evolution room keeps it: its record (provenance.ledger writes it) and its state row.

A run with no state row is a bare record: one the ledger wrote alone, or an import of an archive that held
no state. It reads as a run not started (status "created", nothing counted).

A running run whose controller has been silent for three heartbeats (killed, its machine or database gone)
is shown as such: `controller_of` says how long ago it was last heard from, and how to go on.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from evolution import heartbeat
from evolution.models import RunState
from provenance import ledger
from provenance.exports import runstate
from provenance.models import Run


def start_run(project, **fields) -> Run:
    """A new run (ledger.start_run's arguments) with its state, in one transaction."""
    with transaction.atomic():
        run = ledger.start_run(project, **fields)
        RunState.objects.create(run=run)
    return run


def state_of(run: Run) -> RunState:
    """The run's state; for a bare record, the state of a run not started (unsaved)."""
    try:
        return run.state
    except RunState.DoesNotExist:
        return RunState(run=run)


@dataclass(frozen=True)
class ControllerSeen:
    """A running run's controller as its heartbeat shows it."""

    name: str  # host:pid ("" for a controller from before heartbeats)
    seconds: float  # since it was last heard from
    lost: bool  # silent for three heartbeats: taken for dead
    message: str  # when lost: how to go on

    @property
    def ago(self) -> str:
        return f"{int(self.seconds)} s ago"


def controller_of(state: RunState, now=None, hide_host: bool = False) -> ControllerSeen | None:
    """The controller of a running run (None for one not running): who (host:pid, unless `hide_host`), when
    last heard from, and whether it is lost."""
    if state.status not in (RunState.Status.RUNNING, RunState.Status.STOPPING):
        return None
    last = state.heartbeat_at or state.updated_at or state.started_at
    if last is None:
        return None
    seconds = max(0.0, ((now or timezone.now()) - last).total_seconds())
    lost = seconds > heartbeat.silence().total_seconds()
    message = lost_message(state.run_id, seconds) if lost else ""
    return ControllerSeen("" if hide_host else state.controller or "", seconds, lost, message)


def lost_message(run_id: int, seconds: float) -> str:
    return f"controller lost {int(seconds)} s ago — continue with `evolve --resume {run_id}`"


def stored_state(run: Run) -> RunState | None:
    """The run's state row as the database holds it (decimals to their places), or None: a bare record."""
    return RunState.objects.filter(run=run).first()


def restore_state(run: Run, values: dict) -> None:
    """An archived state (its columns by attname, references mapped here) as the new run's state. No
    controller holds an imported run: one exported running shows its controller lost, to be resumed here."""
    RunState.objects.update_or_create(run=run, defaults={**values, "controller_token": None})


def keep_state_in_archives() -> None:
    """Archives carry each run's state, and an import restores it (provenance.exports.runstate)."""
    runstate.register(RunState, read=stored_state, restore=restore_state)
