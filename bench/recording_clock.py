"""Where a run of the real controller spends its time recording, per candidate.

The provenance.ledger functions the engines call (and ledger.batch, the transactions around them) are wrapped
with a clock; so are the controller's units of work, which say whom the time is charged to: a step (its
prompt, calls, candidates, edges and events, shared by the step's candidates), a candidate's evaluation, its
registration in the program database (events, copies). The embedded mode runs everything in this process, one
thing at a time, so the clock is a stack: time goes to whatever is on top. A step's evaluations run when the
step hands its jobs out, inside the step, and are recorded in one write (evaluation.evaluate_together; one
alone goes through Celery's eager call): they are pushed as work of their own, and so is the dispatch around
them, so neither is counted as the step's recording; each candidate is charged an equal share of its step's
evaluations' recording.
"""

from __future__ import annotations

import functools
import statistics
import threading
import time
from collections import defaultdict
from contextlib import contextmanager

LEDGER_CALLS = ("record_agent", "record_prompt", "record_llm_call", "record_candidate", "record_edge",
                "record_evaluation", "record_events")
RECORDING = ("ledger", "transaction")  # inside a ledger call / inside a record transaction, between calls


class RecordingClock:
    def __init__(self):
        self.frames: list[tuple[str, object]] = [("work", None)]  # (what is done, whom it is charged to)
        self.spent: dict[tuple[object, str], float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.last = time.perf_counter()
        self.thread = threading.get_ident()
        self.made: dict[object, list[int]] = {}  # unit of work → the candidates it proposed

    @contextmanager
    def region(self, what: str, owner=None, keep_owner: bool = True):
        if threading.get_ident() != self.thread:  # heartbeats: not the run's recording
            yield
            return
        self._tick()
        self.frames.append((what, self.frames[-1][1] if keep_owner else owner))
        try:
            yield
        finally:
            self._tick()
            self.frames.pop()

    def recording(self) -> bool:
        return self.frames[-1][0] in RECORDING

    def _tick(self) -> None:
        now = time.perf_counter()
        self.spent[self.frames[-1][1], self.frames[-1][0]] += now - self.last
        self.last = now

    def charged(self, owner) -> float:
        return sum(self.spent.get((owner, what), 0.0) for what in RECORDING)

    def total(self, what: str | None = None) -> float:
        kinds = RECORDING if what is None else (what,)
        return sum(seconds for (_, kind), seconds in self.spent.items() if kind in kinds)


@contextmanager
def clocked(clock: RecordingClock):
    """The ledger, the controller and the evaluation service wrapped with `clock` while inside."""
    from evolution import database, dispatch, evaluation
    from evolution.controller import Controller
    from provenance import ledger

    patches = [(ledger, name, _ledger_call(clock, name, getattr(ledger, name))) for name in LEDGER_CALLS]
    patches += [
        (ledger, "batch", _batch(clock, ledger.batch)),
        (evaluation, "evaluate_candidate", _evaluation(clock, evaluation.evaluate_candidate)),
        (evaluation, "evaluate_together", _evaluations(clock, evaluation.evaluate_together)),
        (Controller, "_step", _step(clock, Controller._step)),
        (Controller, "_found", _found(clock, Controller._found)),
        (Controller, "_register", _registration(clock, Controller._register)),
        # The program database's own bookkeeping runs inside the registration's transaction: not recording.
        (database.ProgramsDatabase, "register", _work(clock, database.ProgramsDatabase.register)),
        # Handing a job to its workers (here Celery's eager call around the evaluation) runs as the step's
        # transaction commits: dispatch, not recording.
        (dispatch.CeleryDispatch, "submit", _work(clock, dispatch.CeleryDispatch.submit)),
        (dispatch.CeleryDispatch, "submit_all", _work(clock, dispatch.CeleryDispatch.submit_all)),
        (dispatch.PoolDispatch, "submit", _work(clock, dispatch.PoolDispatch.submit)),
    ]
    saved = [(target, name, getattr(target, name)) for target, name, _ in patches]
    for target, name, wrapper in patches:
        setattr(target, name, wrapper)
    try:
        yield clock
    finally:
        for target, name, original in saved:
            setattr(target, name, original)


def _ledger_call(clock, name, call):
    @functools.wraps(call)
    def timed(*args, **kwargs):
        clock.calls[name] += 1
        with clock.region("ledger"):
            return call(*args, **kwargs)

    return timed


def _batch(clock, batch):
    @contextmanager
    def timed(run=None, **how):
        if clock.recording():  # a ledger call's own hold, or one inside an outer batch: already counted
            with batch(run, **how) as chain:
                yield chain
            return
        with clock.region("transaction"), batch(run, **how) as chain:
            yield chain

    return timed


def _work(clock, method):
    @functools.wraps(method)
    def timed(*args, **kwargs):
        with clock.region("work"):
            return method(*args, **kwargs)

    return timed


def _evaluation(clock, evaluate):
    @functools.wraps(evaluate)
    def timed(candidate_id, *args, **kwargs):
        with clock.region("work", ("evaluation", candidate_id), keep_owner=False):
            return evaluate(candidate_id, *args, **kwargs)

    return timed


def _evaluations(clock, evaluate):
    @functools.wraps(evaluate)
    def timed(candidate_ids, *args, **kwargs):
        with clock.region("work", ("evaluations", tuple(candidate_ids)), keep_owner=False):
            return evaluate(candidate_ids, *args, **kwargs)

    return timed


def _step(clock, step):
    @functools.wraps(step)
    def timed(controller, dispatch):
        owner, before = ("step", controller.steps), set(controller.candidates)
        with clock.region("work", owner, keep_owner=False):
            step(controller, dispatch)
        clock.made[owner] = sorted(set(controller.candidates) - before)

    return timed


def _found(clock, found):
    @functools.wraps(found)
    def timed(controller, dispatch):
        with clock.region("work", ("found",), keep_owner=False):
            found(controller, dispatch)
        clock.made["found",] = sorted(controller.candidates)

    return timed


def _registration(clock, register):
    @functools.wraps(register)
    def timed(controller, candidate, evaluations):
        with clock.region("work", ("registration", candidate.pk), keep_owner=False):
            register(controller, candidate, evaluations)

    return timed


def per_candidate(clock: RecordingClock) -> dict[int, float]:
    """Seconds of recording each proposed candidate cost: its share of its step's (or the founding's), its
    evaluation's (or its share of its step's evaluations') and its registration's."""
    together: dict[int, float] = defaultdict(float)
    for owner in {owner for owner, _ in clock.spent if owner is not None and owner[0] == "evaluations"}:
        for pk in owner[1]:
            together[pk] += clock.charged(owner) / len(owner[1])
    cost: dict[int, float] = {}
    for owner, made in clock.made.items():
        share = clock.charged(owner) / len(made) if made else 0.0
        for pk in made:
            cost[pk] = (share + clock.charged(("evaluation", pk)) + together[pk]
                        + clock.charged(("registration", pk)))
    return cost


def per_unit(clock: RecordingClock) -> dict[str, list[float]]:
    """Seconds of recording of each unit of work, by kind: step, found, evaluation, registration."""
    units: dict[str, list[float]] = defaultdict(list)
    for owner in {owner for owner, _ in clock.spent if owner is not None}:
        units[owner[0]].append(clock.charged(owner))
    return units


def summary_ms(seconds: list[float]) -> dict:
    ms = sorted(s * 1000 for s in seconds)
    if not ms:
        return {"n": 0, "median_ms": None, "p95_ms": None, "max_ms": None}
    return {"n": len(ms), "median_ms": round(statistics.median(ms), 3),
            "p95_ms": round(ms[int(0.95 * (len(ms) - 1))], 3), "max_ms": round(ms[-1], 3)}
