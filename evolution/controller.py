"""The run controller: keeps evaluations in flight, registers results in the program database, records
every step and every database event, and writes progress on the run's state row.

One step: choose an island, sample parents from it, let the engine propose a child, record the events,
the candidate (with its edges) and its evaluation job in one transaction, then hand the job to the
dispatcher. Results are read back from the jobs' rows and registered in the order they are seen; that order
is recorded too, so `resume` rebuilds the database from the records and carries on exactly.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from evolution import database as programs
from evolution.config import EvolutionConfig
from evolution.dispatch import dispatch_for
from evolution.engines import Proposal, Step, make_engine
from evolution.evaluation import queue_job, release_orphans
from evolution.models import EvaluationJob
from evolution.scoring import FAILED, headline_score, total_seeds
from provenance import ledger
from provenance.models import Candidate, Evaluation, Run, RunEvent, RunState

Status = EvaluationJob.Status
POLL_SECONDS = 0.05
CODE_VERSION = "seedtrace-evolution 0.1.0"


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
        self.engine = make_engine(config, run)
        self.candidates: dict[int, Candidate] = {}
        self.in_flight: set[int] = set()
        self.recorded_events = 0
        self.steps = 0
        self.proposed = 0
        self.evaluated = 0
        self.failures = 0
        self.best: tuple[float, int, int | None] | None = None  # (headline score, candidate, total seeds)
        self._unfinished: list[int] = []  # jobs found unfinished on resume, to hand out again
        self.deadline: float | None = None  # time.monotonic() after which no candidate is proposed
        self.scanned = 0  # jobs up to this candidate id have been looked at for outside candidates
        self.started = time.monotonic()

    @classmethod
    def start(cls, project, config: EvolutionConfig, user=None, title: str = "") -> Controller:
        run = ledger.start_run(
            project, family=config.family, problems=list(config.problems), engine=config.engine,
            config=config.to_dict(), random_seed=config.seed, code_version=CODE_VERSION, started_by=user,
            title=title,
        )
        return cls(run, config, programs.ProgramsDatabase(config.database_config()))

    @classmethod
    def resume(cls, run: Run) -> Controller:
        """Rebuild the program database from the run's recorded events, then pick up where it stopped."""
        config = EvolutionConfig.from_dict(run.config)
        events = [e.payload for e in RunEvent.objects.filter(run=run).order_by("seq")]
        db = programs.ProgramsDatabase.replay(config.database_config(), events)
        controller = cls(run, config, db)
        controller.recorded_events = len(events)
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
        dispatch = dispatch_for(self.config.workers)
        self._set_state(status=RunState.Status.RUNNING, started_at=timezone.now())
        try:
            if self.proposed == 0:
                self._found(dispatch)
            self._resubmit(dispatch)
            # The database must hold the starting programs before anything can be sampled from it.
            while self._founding():
                self._wait(dispatch, progress)
            while self.in_flight or self._proposing():
                while len(self.in_flight) < dispatch.capacity and self._proposing():
                    self._step(dispatch)
                self._wait(dispatch, progress)
        except BaseException as error:
            interrupted = isinstance(error, KeyboardInterrupt)
            why = "interrupted" if interrupted else f"{type(error).__name__}: {error}"
            self._set_state(status=RunState.Status.FAILED, finished_at=timezone.now(),
                            message=f"{why}; continue with `evolve --resume {self.run.pk}`")
            raise
        finally:
            dispatch.close()
        why = ("budget reached" if self.proposed >= self.config.budget
               else self.engine.stopped or "time limit reached")
        if self.engine.notice and self.engine.notice != why:
            why = f"{why}; {self.engine.notice}"
        self._set_state(status=RunState.Status.FINISHED, finished_at=timezone.now(), message=why)
        return self.progress()

    def _proposing(self) -> bool:
        """More candidates wanted: the budget is not spent and the time limit (if any) not reached."""
        late = self.deadline is not None and time.monotonic() >= self.deadline
        return self.proposed < self.config.budget and not late and not self.engine.stopped

    def _found(self, dispatch) -> None:
        rng = random.Random(f"{self.config.seed}:population")
        proposals = self.engine.starting_population(self.run, self.config.population, rng)
        with ledger.batch(self.run):
            for index, proposal in enumerate(proposals):
                # The literature rule goes on every island (as FunSearch seeds every island); the random
                # programs are dealt out one island each.
                island = None if index == 0 else (index - 1) % self.db.config.num_islands
                self._record(proposal, dispatch, island=island, params={"founder": True})

    def _founding(self) -> bool:
        return any(self.candidates[pk].params.get("founder") for pk in self.in_flight)

    def _step(self, dispatch) -> None:
        number = self.steps
        rng = random.Random(f"{self.config.seed}:step:{number}")
        island = self.db.choose_island()
        parents = [self.candidates[pk] for pk in self.db.sample(island)]
        # Outside the step's transaction: an LLM engine waits seconds on its calls (recording each as it
        # happens), and evaluations finishing meanwhile must not wait on this transaction's lock.
        proposals = self.engine.propose(Step(self.run, number, island, parents, rng))
        proposals = [proposals] if isinstance(proposals, Proposal) else proposals  # an LLM: one per sample
        with ledger.batch(self.run):
            self._record_events()
            for proposal in proposals[: self.config.budget - self.proposed]:
                self._record(proposal, dispatch, island=island, params={"step": number})
        self.steps += 1

    def _record(self, proposal: Proposal, dispatch, *, island: int | None, params: dict) -> None:
        candidate = ledger.record_candidate(
            self.run, source=proposal.source, activity=proposal.activity, agent=proposal.agent,
            llm_call=proposal.llm_call, parents=proposal.parents, params={**proposal.params, **params},
            island=island,
        )
        queue_job(candidate)
        transaction.on_commit(lambda: dispatch.submit(candidate.pk))
        self.candidates[candidate.pk] = candidate
        self.in_flight.add(candidate.pk)
        self.proposed += 1

    def _wait(self, dispatch, progress) -> None:
        """Register whatever finished; if nothing did, sleep a little."""
        if dispatch.failures:
            raise dispatch.failures[0]
        self._adopt()
        finished = EvaluationJob.objects.filter(candidate__in=self.in_flight, status=Status.DONE)
        done = sorted(finished.values_list("candidate_id", flat=True))
        if not done:
            dispatch.wait(POLL_SECONDS)
            return
        evaluations = _evaluations_of(done)
        for pk in done:
            self._register(self.candidates[pk], evaluations[pk])
        self._set_state(**self._counters())
        if progress:
            progress(self.progress())

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
        self.evaluated += 1
        if any(e.verdict == FAILED for e in evaluations):
            self.failures += 1
            return  # a rule that did not run has no score to cluster on
        signature = tuple(float(e.score) for e in evaluations)
        length = programs.program_length(candidate.source)
        with ledger.batch(self.run):
            self.db.register(candidate.pk, signature, length, candidate.island)  # None: every island
            self._record_events()
        self._consider(candidate.pk, evaluations)

    def _consider(self, pk: int, evaluations: list[Evaluation]) -> None:
        score, seeds = headline_score(evaluations), total_seeds(evaluations)
        if self.best is None or score > self.best[0]:
            self.best = (score, pk, seeds)

    def _record_events(self) -> None:
        new = self.db.events[self.recorded_events:]
        if not new:
            return
        rows = []
        for event in new:
            about = getattr(event, "program_id", None)
            if about is None:
                about = getattr(event, "founder_program_id", None)
            rows.append((event.type, programs.event_to_dict(event), self._candidate(about)))
        ledger.record_events(self.run, rows)
        self.recorded_events += len(new)

    # Resume ------------------------------------------------------------------------------------------

    def _reload(self) -> None:
        for candidate in Candidate.objects.filter(run=self.run).order_by("seq"):
            self.candidates[candidate.pk] = candidate
        self.proposed = len(self.candidates)
        self.steps = 1 + max((c.params["step"] for c in self.candidates.values() if "step" in c.params),
                             default=-1)  # a step may make several candidates (LLM samples) or none
        registered = set(RunEvent.objects.filter(run=self.run, kind="register")
                         .values_list("candidate_id", flat=True))
        if self._embedded():
            release_orphans(self.run)  # in the embedded mode they died with the controller
        jobs = EvaluationJob.objects.filter(run=self.run).values_list("candidate_id", "status")
        done = [pk for pk, status in jobs if status == EvaluationJob.Status.DONE]
        evaluations = _evaluations_of(done)
        for pk in done:
            if pk not in registered:
                self.in_flight.add(pk)  # finished but never registered: _wait registers it
                continue
            self.evaluated += 1
            if any(e.verdict == FAILED for e in evaluations[pk]):
                self.failures += 1
            else:
                self._consider(pk, evaluations[pk])
        # Jobs not done go to the dispatcher again: a copy of one still running elsewhere finds it claimed.
        self._unfinished = sorted(pk for pk, status in jobs if status != EvaluationJob.Status.DONE)
        self.in_flight.update(self._unfinished)

    def _resubmit(self, dispatch) -> None:
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
        best = {} if self.best is None else {"best_score": self.best[0], "best_candidate_id": self.best[1]}
        usage = self.engine.usage  # an LLM engine's calls, tokens and cost
        llm = {} if usage is None else usage.counters()
        if self.engine.notice:
            llm["message"] = self.engine.notice  # the model stopped (a cap, …) while the run goes on
        return dict(candidates=self.proposed, evaluations=self.evaluated, failures=self.failures,
                    in_flight=len(self.in_flight), **best, **llm)

    def _set_state(self, **fields) -> None:
        RunState.objects.filter(run=self.run).update(**fields, updated_at=timezone.now())

    def progress(self) -> Progress:
        score, candidate, seeds = self.best or (None, None, None)
        return Progress(self.run.pk, self.config.budget, self.proposed, self.evaluated, self.failures,
                        len(self.in_flight), score, seeds, candidate, time.monotonic() - self.started)


def _evaluations_of(candidate_ids: list[int]) -> dict[int, list[Evaluation]]:
    """Each candidate's evaluations, in the order they were recorded: the run's order of problems."""
    found: dict[int, list[Evaluation]] = {pk: [] for pk in candidate_ids}
    for start in range(0, len(candidate_ids), 5000):  # stay below SQLite's limit on query parameters
        chunk = candidate_ids[start:start + 5000]
        for evaluation in Evaluation.objects.filter(candidate__in=chunk).order_by("seq"):
            found[evaluation.candidate_id].append(evaluation)
    return found
