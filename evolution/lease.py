"""A run has exactly one controller: the one whose token is on the run's state row.

A controller takes the run with a conditional UPDATE (no controller on the row, or one silent for three
heartbeats, or one whose process is gone from this machine), keeps it with a heartbeat thread, and renews it
with every write of the run's records (`Lease.guard`): the write locks the state row, checks the token and
renews the heartbeat in the same statement (or transaction) as the records, so a second controller can never
take the run while the first is writing to it, and a controller whose run was taken writes nothing. A
controller that finds its run taken stops without touching the run's state (it is the new controller's to
write).
"""

from __future__ import annotations

import os
import socket
import uuid
from dataclasses import dataclass

from django.db import DatabaseError, connection
from django.db.models import Q
from django.utils import timezone

from evolution import heartbeat
from evolution.models import RunState
from provenance.optimistic import Guard


class ControllerAlive(Exception):
    """Another controller, alive, holds the run."""

    def __init__(self, run_id: int, holder: Holder | None):
        self.run_id, self.holder = run_id, holder
        seen = "" if holder is None else f": {holder.name}, heard from {holder.ago()}"
        silent = heartbeat.silence().total_seconds()
        super().__init__(
            f"run {run_id} already has a live controller{seen}. A run has one controller at a time: stop "
            f"that one first (Ctrl-C or SIGTERM), or resume once it has been silent for {silent:g} s"
        )


class ControllerLost(Exception):
    """This controller's run was taken over by another controller: this one stops, leaving the run to it."""

    def __init__(self, run_id: int, holder: Holder | None):
        self.run_id, self.holder = run_id, holder
        by = "another controller" if holder is None else holder.name
        super().__init__(f"run {run_id} was taken over by {by}; this controller stopped")


@dataclass(frozen=True)
class Holder:
    """The controller on a run's state row."""

    name: str  # host:pid
    token: str  # unique to the controller; after the colon, its process's pid namespace
    seconds: float | None  # since its last heartbeat

    def ago(self) -> str:
        return "never" if self.seconds is None else f"{int(self.seconds)} s ago"

    def silent(self) -> bool:
        """Silent for three heartbeats: taken for dead."""
        return self.seconds is None or self.seconds > heartbeat.silence().total_seconds()

    def gone(self) -> bool:
        """Its process is known to have ended: it ran on this machine (and pid namespace) and is no more."""
        host, _, pid = self.name.rpartition(":")
        namespace = self.token.partition(":")[2]
        if host != socket.gethostname() or not namespace or namespace != pid_namespace():
            return False
        return not process_alive(pid)


def holder(run_id: int) -> Holder | None:
    """The controller holding the run, or None (never started, ended, or a bare record)."""
    fields = ("controller", "controller_token", "heartbeat_at")
    row = RunState.objects.filter(run_id=run_id).values(*fields).first()
    if row is None or not row["controller_token"]:
        return None
    beat = row["heartbeat_at"]
    seconds = None if beat is None else max(0.0, (timezone.now() - beat).total_seconds())
    return Holder(row["controller"] or "", row["controller_token"], seconds)


class Lease:
    """This controller's hold on one run."""

    def __init__(self, run_id: int):
        self.run_id = run_id
        self.name = f"{socket.gethostname()}:{os.getpid()}"
        self.token = f"{uuid.uuid4().hex}:{pid_namespace()}"[:64]
        self._heartbeat: heartbeat.Heartbeat | None = None

    def take(self) -> Holder | None:
        """Take the run; return the controller taken over (a dead one), or None. ControllerAlive if a live
        controller holds it."""
        RunState.objects.get_or_create(run_id=self.run_id)  # a bare record gets its state now
        before = holder(self.run_id)
        now = timezone.now()
        free = (Q(controller_token__isnull=True) | Q(controller_token="") | Q(controller_token=self.token)
                | Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=now - heartbeat.silence()))
        if self._claim(RunState.objects.filter(free, run_id=self.run_id), now):
            return before if before is not None and before.token != self.token else None
        before = holder(self.run_id)
        if before is not None and before.gone():  # killed on this machine: no need to wait for its silence
            if self._claim(RunState.objects.filter(run_id=self.run_id, controller_token=before.token), now):
                return before
        raise ControllerAlive(self.run_id, holder(self.run_id))

    def _claim(self, rows, now) -> bool:
        return bool(rows.update(controller=self.name, controller_token=self.token, heartbeat_at=now))

    def mine(self):
        return RunState.objects.filter(run_id=self.run_id, controller_token=self.token)

    def beat(self) -> bool:
        return bool(self.mine().update(heartbeat_at=timezone.now()))

    def keep(self) -> heartbeat.Heartbeat:
        """Beat on the run from a thread until `let_go`: through a model's answers, evaluations in process…"""
        self._heartbeat = heartbeat.Heartbeat(self.beat, f"controller of run {self.run_id}").start()
        return self._heartbeat

    def let_go(self) -> None:
        if self._heartbeat is not None:
            self._heartbeat.stop()
            self._heartbeat = None

    @property
    def lost(self) -> bool:
        """The heartbeat found the run taken by another controller."""
        return self._heartbeat is not None and self._heartbeat.lost

    def check(self) -> None:
        if self.lost:
            raise self.lost_to()

    def guard(self) -> Guard:
        """The run's state row as this controller holds it, its heartbeat renewed by the write that depends
        on it: checked (and locked) in the same statement or transaction as the records (provenance.chain's
        `guard`). Where the write says the guard failed, it wrote nothing: raise `lost_to()`."""
        self.check()
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        return Guard(RunState._meta.db_table, "run_id = %s AND controller_token = %s",
                     (self.run_id, self.token), "heartbeat_at = %s", (now,))

    def update(self, **fields) -> None:
        """Write the run's state; ControllerLost if the run is no longer this controller's."""
        if not self.mine().update(**fields, updated_at=timezone.now()):
            raise self.lost_to()

    def release(self, **fields) -> bool:
        """Write the run's last state and give the run up (no-op if it is another controller's by now)."""
        return bool(self.mine().update(**fields, controller_token=None, updated_at=timezone.now()))

    def lost_to(self) -> ControllerLost:
        """The error that stops this controller, naming the one that took the run where it can."""
        try:
            return ControllerLost(self.run_id, holder(self.run_id))
        except DatabaseError:  # the database away: who took the run is for the command's message only
            return ControllerLost(self.run_id, None)


def pid_namespace() -> str:
    """This process's pid namespace (its inode), so that pids are compared only where they mean the same."""
    try:
        return os.readlink("/proc/self/ns/pid").strip("pid:[]")
    except OSError:
        return ""


def process_alive(pid: str) -> bool:
    try:
        number = int(pid)
    except ValueError:
        return True  # not ours to judge
    try:
        os.kill(number, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie (killed, not yet reaped by its parent) is gone too
        with open(f"/proc/{number}/stat") as stat:
            return stat.read().rpartition(")")[2].split()[0] != "Z"
    except (OSError, IndexError):
        return True
