"""The run controller: keeps evaluations in flight, registers results in the program database, records
every step and every database event, and writes progress (its tally, evolution.tally) on the run's state.

One step: choose an island, sample parents from it, let the engine propose a child, record the events,
the candidate (with its edges) and its evaluation job in one transaction, then hand the job to the
dispatcher. Results are read back from the jobs' rows and registered in the order they are seen; that order
is recorded too, so `resume` rebuilds the database from the records and carries on exactly. A program the
database moves to another island (a reset, a migration) is recorded as a copy there (evolution.search_log).

A run has one controller at a time (evolution.lease): it holds the run's lease, beats on it, and renews it in
every transaction that writes the run's records. Every few seconds it sends again the tasks of jobs whose
message looks lost (evolution.evaluation.lost_messages). When the database goes away it reconnects with a
backoff and rebuilds itself from the records, as `resume` would; after SEEDTRACE_CONTROLLER_DB_PATIENCE
seconds it stops, with the command that continues the run.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, transaction
from django.utils import timezone

from evolution import database as programs
from evolution import heartbeat, stop_signals
from evolution import objective as objectives
from evolution.config import EvolutionConfig
from evolution.dispatch import dispatch_for
from evolution.engines import Proposal, Step, make_engine
from evolution.evaluation import lost_messages, new_jobs, release_orphans, resend_after, sent_again
from evolution.lease import ControllerLost, Holder, Lease
from evolution.models import EvaluationJob, RunState
from evolution.problem_choice import on_the_run
from evolution.runs import start_run
from evolution.scoring import signature
from evolution.search_log import COPIES, SearchLog
from evolution.tally import RunTally
from provenance import ledger
from provenance.models import Candidate, Evaluation, Run, RunEvent

Status = EvaluationJob.Status
POLL_SECONDS = 0.05
CODE_VERSION = "seedtrace-evolution 0.1.0"
# A connection lost, a server restarting: worth waiting for (a query the database refuses is not).
TRANSIENT = (OperationalError, InterfaceError)
log = logging.getLogger(__name__)


class DatabaseLost(Exception):
    """The database stayed out of reach longer than SEEDTRACE_CONTROLLER_DB_PATIENCE."""


@dataclass
class Progress:
    run: int
    budget: int
    candidates: int
    evaluations: int
    failures: int
    in_flight: int
    best_score: float | None
    best_seeds: int | None
    best_candidate: int | None
    seconds: float


class Controller:
    def __init__(self, run: Run, config: EvolutionConfig, db: programs.ProgramsDatabase):
        self.run, self.config, self.db = run, config, db
        self.objective = objectives.parse(config.objective)
        self.engine = make_engine(config, run)
        self.candidates: dict[int, Candidate] = {}
        self.in_flight: set[int] = set()
        self.log = SearchLog(run)  # the database's events on the record, and the copies its moves made
        self.steps = 0
        self.tally = RunTally(objective=self.objective)
        self._unfinished: list[int] = []  # jobs found unfinished on resume, to hand out again
        self.deadline: float | None = None  # time.monotonic() after which no candidate is proposed
        self.scanned = 0  # jobs up to this candidate id have been looked at for outside candidates
        self.started = time.monotonic()
        self.lease = Lease(run.pk)
        self.took_over: Holder | None = None  # the dead controller this one took the run from
        self._next_look = 0.0  # time.monotonic() of the next look for jobs whose message is lost
        self._progressed = time.monotonic()  # when a job of the run last finished (or the controller began)
        self._overtaken = None  # the latest sent_at among the jobs seen finished (brokers deliver in order)

    @classmethod
    def start(cls, project, config: EvolutionConfig, user=None, title: str = "") -> Controller:
        run = start_run(
            project, family=config.family, problems=list(config.problems), engine=config.engine,
            config=config.to_dict(), random_seed=config.seed, code_version=CODE_VERSION, started_by=user,
            title=title,
        )
        return cls(run, config, programs.ProgramsDatabase(config.database_config()))

    @classmethod
    def resume(cls, run: Run) -> Controller:
        """Take the run (ControllerAlive if a live controller has it), rebuild the program database from its
        recorded events, then pick up where it stopped."""
        lease = Lease(run.pk)
        took_over = lease.take()  # before anything is touched: the run may be another controller's
        config = EvolutionConfig.from_dict(run.config)
        log, events = SearchLog.of_run(run)
        db = programs.ProgramsDatabase.replay(config.database_config(), events)
        controller = cls(run, config, db)
        controller.lease, controller.took_over, controller.log = lease, took_over, log
        controller._reload()
        return controller

    # The loop ----------------------------------------------------------------------------------------

    def evolve(self, progress: Callable[[Progress], None] | None = None, minutes: float | None = None
               ) -> Progress:
        """Evolve until the budget is spent (or `minutes` have passed: then stop proposing, finish what is
        in flight, and leave the run finished with the reason)."""
        self.deadline = None if minutes is None else time.monotonic() + 60 * minutes
        if transaction.get_connection().in_atomic_block:
            # Jobs are handed out when their rows commit; inside an outer transaction that never happens.
            raise RuntimeError("run the controller outside a transaction")
        self.took_over = self.lease.take() or self.took_over  # ControllerAlive: the run has a live controller
        dispatch = dispatch_for(self.config.workers)
        self.lease.keep()
        try:
            self._set_state(status=RunState.Status.RUNNING, started_at=timezone.now(), message="")
            self._evolve_through_outages(dispatch, progress)
        except ControllerLost:
            raise  # the run is another controller's now, and so is its state
        except BaseException as error:
            interrupted = stop_signals.behind(error)
            self._stop(interrupted or error)
            if interrupted is not None and interrupted is not error:
                raise interrupted from error  # a stop asked for, whatever the code it reached was doing
            raise
        finally:
            self.lease.let_go()
            dispatch.close()
        why = ("budget reached" if self.tally.candidates >= self.config.budget
               else self.engine.stopped or "time limit reached")
        if self.engine.notice and self.engine.notice != why:
            why = f"{why}; {self.engine.notice}"
        self.lease.release(status=RunState.Status.FINISHED, finished_at=timezone.now(), message=why)
        return self.progress()

    def _loop(self, dispatch, progress) -> None:
        if self.tally.candidates == 0:
            self._found(dispatch)
        self._resubmit(dispatch)
        # The database must hold the starting programs before anything can be sampled from it.
        while self._founding():
            self._wait(dispatch, progress)
        while self.in_flight or self._proposing():
            while len(self.in_flight) < dispatch.capacity and self._proposing():
                self._step(dispatch)
            self._wait(dispatch, progress)
        self._record_log()

    def _evolve_through_outages(self, dispatch, progress) -> None:
        """The loop, carried through a database outage: reconnect with a backoff, then rebuild the controller
        from the records (whatever was written in memory only may not have been committed) and go on."""
        outage: float | None = None  # time.monotonic() when the current outage began
        delay = 1.0
        while True:
            try:
                if outage is not None:
                    self._rebuild()
                    outage, delay = None, 1.0
                self._loop(dispatch, progress)
                return
            except TRANSIENT as error:
                if stop_signals.asked():
                    raise  # a signal's exception that a driver's callback turned into this: no outage
                self.lease.check()  # taken over while the database was away: that controller goes on
                now = time.monotonic()
                outage = now if outage is None else outage
                if now - outage + delay > settings.SEEDTRACE_CONTROLLER_DB_PATIENCE:
                    raise DatabaseLost(f"the database was out of reach for {now - outage:.0f} s "
                                       f"({type(error).__name__}: {error})") from error
                log.warning("run %s: database error (%s); trying again in %g s", self.run.pk, error, delay)
                heartbeat.close_connection()
                time.sleep(delay)
                delay = min(2 * delay, 30.0)

    def _rebuild(self) -> None:
        """This controller's memory made again from the records, as `resume` makes it."""
        self.log, events = SearchLog.of_run(self.run)
        self.db = programs.ProgramsDatabase.replay(self.config.database_config(), events)
        self.engine = make_engine(self.config, self.run)
        self.candidates, self.in_flight, self.scanned = {}, set(), 0
        self.tally = RunTally(objective=self.objective)
        # Claims made by this process's evaluations are not orphans: a dead one's heartbeat runs out.
        self._reload(orphans=False)
        self._set_state(**self._counters())

    def _stop(self, error: BaseException) -> None:
        """Stopped by a signal, the database gone, or failed: say so, and how to go on."""
        if isinstance(error, KeyboardInterrupt):
            status, why = RunState.Status.STOPPED, str(error) or "interrupted"
        elif isinstance(error, DatabaseLost):
            status, why = RunState.Status.STOPPED, str(error)
        else:
            status, why = RunState.Status.FAILED, f"{type(error).__name__}: {error}"
        try:
            self.lease.release(status=status, finished_at=timezone.now(),
                               message=f"{why}; continue with `evolve --resume {self.run.pk}`")
        except DatabaseError:  # still out of reach: the run shows its controller lost, with the same advice
            log.warning("run %s: could not record that its controller stopped", self.run.pk, exc_info=True)
            heartbeat.close_connection()

    @contextmanager
    def _batch(self):
        """The run's records appended inside, written when the block ends (on PostgreSQL in one statement:
        provenance.optimistic) only while this controller holds the run: where another has taken it,
        nothing is written and ControllerLost is raised."""
        with ledger.batch(self.run, alone=True, guard=self.lease.guard()) as chain:
            yield chain
        if not chain.written:
            raise self.lease.lost_to()

    def _proposing(self) -> bool:
        """More candidates wanted: the budget is not spent and the time limit (if any) not reached."""
        late = self.deadline is not None and time.monotonic() >= self.deadline
        return self.tally.candidates < self.config.budget and not late and not self.engine.stopped

    def _found(self, dispatch) -> None:
        rng = random.Random(f"{self.config.seed}:population")
        proposals = self.engine.starting_population(self.run, self.config.population, rng)
        # The literature rule goes on every island (as FunSearch seeds every island); the random programs are
        # dealt out one island each.
        islands = [None if index == 0 else (index - 1) % self.db.config.num_islands
                   for index in range(len(proposals))]
        self._record(proposals, islands, dispatch, params={"founder": True})

    def _founding(self) -> bool:
        return any(self.candidates[pk].params.get("founder") for pk in self.in_flight)

    def _step(self, dispatch) -> None:
        number = self.steps
        rng = random.Random(f"{self.config.seed}:step:{number}")
        island = self.db.choose_island()
        parents = [self.log.standing_for(island, self.candidates[pk]) for pk in self.db.sample(island)]
        # Outside the step's transaction: an LLM engine waits seconds on its calls (recording each as it
        # happens), and evaluations finishing meanwhile must not wait on this transaction's lock.
        room = self.config.budget - self.tally.candidates
        proposals = self.engine.propose(Step(self.run, number, island, parents, rng, room))
        proposals = [proposals] if isinstance(proposals, Proposal) else proposals  # an LLM: one per sample
        proposals = proposals[:room]
        self._record(proposals, [island] * len(proposals), dispatch, params={"step": number})
        self.steps += 1

    def _record(self, proposals: list[Proposal], islands: list[int | None], dispatch, *, params: dict
                ) -> None:
        """The proposals as candidates with their jobs, and the database's events before them, in one write
        that holds only while this controller holds the run (on PostgreSQL one statement:
        provenance.optimistic); then the jobs handed out."""
        with self._batch() as chain:
            self.log.record(self.db, self._candidate)
            made = [self._candidate_of(proposal, island, params)
                    for proposal, island in zip(proposals, islands, strict=True)]
            chain.depend(new_jobs(made), "candidate")
        for candidate in made:
            self.candidates[candidate.pk] = candidate
            self.in_flight.add(candidate.pk)
        self.tally.candidates += len(made)
        dispatch.submit_all([candidate.pk for candidate in made])

    def _candidate_of(self, proposal: Proposal, island: int | None, params: dict) -> Candidate:
        return ledger.record_candidate(
            self.run, source=proposal.source, activity=proposal.activity, agent=proposal.agent,
            llm_call=proposal.llm_call, parents=proposal.parents, params={**proposal.params, **params},
            island=island,
        )

    def _wait(self, dispatch, progress) -> None:
        """Register whatever finished; if nothing did, sleep a little."""
        stop_signals.check()  # a stop whose exception the code it landed in swallowed
        if dispatch.failures:
            raise dispatch.failures.pop(0)
        self._look_after(dispatch)
        self._adopt()
        finished = EvaluationJob.objects.filter(candidate__in=self.in_flight, status=Status.DONE)
        rows = finished.values_list("candidate_id", "sent_at")
        done = sorted(pk for pk, _ in rows)
        if not done:
            dispatch.wait(POLL_SECONDS)
            return
        self._progressed = time.monotonic()
        self._overtaken = max(filter(None, [self._overtaken, *(sent for _, sent in rows)]), default=None)
        evaluations = _evaluations_of(done)
        for pk in done:
            self._register(self.candidates[pk], evaluations[pk])
        self._set_state(**self._counters())
        if progress:
            progress(self.progress())

    def _look_after(self, dispatch) -> None:
        """Every few seconds: stop if the run was taken over; send again the tasks whose message is lost."""
        self.lease.check()
        now = time.monotonic()
        if now < self._next_look:
            return
        # Twice a heartbeat: a dead worker's job goes out again within 3.5 heartbeats of its last beat.
        self._next_look = now + min(heartbeat.every(), resend_after().total_seconds()) / 2
        stalled = now - self._progressed > heartbeat.silence().total_seconds()
        for pk in lost_messages(self.run, stalled=stalled, overtaken=self._overtaken):
            log.info("run %s: sending the evaluation of candidate %s again", self.run.pk, pk)
            dispatch.submit(pk)

    def _adopt(self) -> None:
        """Candidates that joined the run from outside (a person's edit in the browser) join the
        population too: they are registered like the controller's own once evaluated."""
        jobs = EvaluationJob.objects.filter(run=self.run, candidate_id__gt=self.scanned)
        ids = list(jobs.order_by("candidate_id").values_list("candidate_id", flat=True))
        if not ids:
            return
        self.scanned = ids[-1]
        outside = [pk for pk in ids if pk not in self.candidates]  # the controller's own are known
        for candidate in Candidate.objects.filter(pk__in=outside):
            self.candidates[candidate.pk] = candidate
            self.in_flight.add(candidate.pk)

    def _register(self, candidate: Candidate, evaluations: list[Evaluation]) -> None:
        self.in_flight.discard(candidate.pk)
        evaluations = on_the_run(evaluations, self.run.problems)
        if evaluations is None:  # a person's edit that left out some of the run's problems: scored apart
            return
        scores = signature(evaluations)
        point = objectives.point(self.objective, evaluations)
        if self.objective.pareto and point is None:
            scores = None  # a record without the objective's axes (an older evaluator's): no place on a front
        if scores is not None:  # a rule that did not run has no score to cluster on
            length = programs.program_length(candidate.source)
            # island None: every island
            moves = self.db.register(candidate.pk, scores, length, candidate.island, point)
            if moves:  # its copies now, so that a program sampled on the island it went to is the copy
                self._record_log()
            # Otherwise the registration goes on the record with the next step's records (or at the end):
            # one transaction fewer per candidate. A controller that dies first registers it again on
            # resume, as it does every finished job without a register event.
        self.tally.count(candidate.pk, evaluations)

    def _record_log(self) -> None:
        """The program database's events not yet on the record (and the copies its moves made)."""
        with self._batch():
            self.log.record(self.db, self._candidate)

    # Resume ------------------------------------------------------------------------------------------

    def _reload(self, orphans: bool = True) -> None:
        # Copies of moved programs (search_log) are not proposals: the budget does not count them.
        for candidate in Candidate.objects.filter(run=self.run).exclude(activity__in=COPIES).order_by("seq"):
            self.candidates[candidate.pk] = candidate
        self.tally.candidates = len(self.candidates)
        self.steps = 1 + max((c.params["step"] for c in self.candidates.values() if "step" in c.params),
                             default=-1)  # a step may make several candidates (LLM samples) or none
        registered = set(RunEvent.objects.filter(run=self.run, kind="register")
                         .values_list("candidate_id", flat=True))
        if orphans and self._embedded():
            release_orphans(self.run)  # in the embedded mode they died with the controller
        jobs = EvaluationJob.objects.filter(run=self.run).values_list("candidate_id", "status")
        done = [pk for pk, status in jobs if status == EvaluationJob.Status.DONE]
        self._progressed = time.monotonic()
        evaluations = _evaluations_of(done)
        for pk in done:
            if pk not in registered:
                self.in_flight.add(pk)  # finished but never registered: _wait registers it
                continue
            self.tally.count(pk, on_the_run(evaluations[pk], self.run.problems))  # registered: on them all
        # Jobs not done go to the dispatcher again: a copy of one still running elsewhere finds it claimed.
        self._unfinished = sorted(pk for pk, status in jobs if status != EvaluationJob.Status.DONE)
        self.in_flight.update(self._unfinished)

    def _resubmit(self, dispatch) -> None:
        sent_again(self._unfinished)
        for pk in self._unfinished:
            dispatch.submit(pk)
        self._unfinished = []

    def _embedded(self) -> bool:
        from django.conf import settings

        return settings.CELERY_TASK_ALWAYS_EAGER

    # State -------------------------------------------------------------------------------------------

    def _candidate(self, pk) -> Candidate | None:
        if pk is None:
            return None
        if pk not in self.candidates:
            self.candidates[pk] = Candidate.objects.get(pk=pk)
        return self.candidates[pk]

    def _counters(self) -> dict:
        usage = self.engine.usage  # an LLM engine's calls, tokens and cost
        llm = {} if usage is None else usage.counters()
        if self.engine.notice:
            llm["message"] = self.engine.notice  # the model stopped (a cap, …) while the run goes on
        return dict(**self.tally.counters(), in_flight=len(self.in_flight), **llm)

    def _set_state(self, **fields) -> None:
        self.lease.update(**fields)  # ControllerLost if the run is no longer this controller's

    def progress(self) -> Progress:
        tally, best = self.tally, self.tally.best
        score, seeds, pk = (None, None, None) if best is None else (best.score, best.seeds, best.candidate)
        return Progress(self.run.pk, self.config.budget, tally.candidates, tally.evaluations, tally.failures,
                        len(self.in_flight), score, seeds, pk, time.monotonic() - self.started)


def _evaluations_of(candidate_ids: list[int]) -> dict[int, list[Evaluation]]:
    """Each candidate's evaluations, in the order they were recorded: the run's order of problems."""
    found: dict[int, list[Evaluation]] = {pk: [] for pk in candidate_ids}
    for start in range(0, len(candidate_ids), 5000):  # stay below SQLite's limit on query parameters
        chunk = candidate_ids[start:start + 5000]
        for evaluation in Evaluation.objects.filter(candidate__in=chunk).order_by("seq"):
            found[evaluation.candidate_id].append(evaluation)
    return found
