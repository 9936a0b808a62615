"""Evaluate one candidate: claim its job, score its source, record one evaluation per problem.

Idempotent and safe under redelivery (as healthchecks claims rows): the claim is a conditional UPDATE, and
the evaluations are written in the same transaction that marks the job done, only by the holder of the
claim. While it evaluates, the worker beats on its claim (evolution.heartbeat): a claim silent for three
heartbeats belongs to a worker that died and may be taken over, and so, as a last resort, may one older than
the lease. A job whose message is lost (queued too long, or its claim dead) is found by `lost_messages` and
sent again by the controller; copies of a message are harmless, since the row decides who evaluates.

A candidate refused before it could be run (an LLM completion from which no program could be read: too
large, nested too deep, no body, …; its params.extraction says why) fails on every problem with that reason,
without the sandbox: its text may even be valid Python, and it is not the program the model was asked for.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.db.models import F, Q
from django.utils import timezone

from evolution import heartbeat, held_out, objective, second_check, stop_signals
from evolution.models import EvaluationJob, RunState
from evolution.problem_choice import BY_PEOPLE, on_the_run, problems_named, scored_on
from evolution.sandbox import Limits
from evolution.scoring import ASKED, FAILED, Policy, ProblemVerdict, score_program
from evolution.tally import RunTally
from provenance import ledger
from provenance.models import Candidate, Run
from provenance.optimistic import Guard

Status = EvaluationJob.Status
ENDED = (RunState.Status.FINISHED, RunState.Status.FAILED, RunState.Status.CANCELLED, RunState.Status.STOPPED)


@dataclass(frozen=True)
class Attempt:
    state: str  # "done": recorded now; "finished": someone already had; "busy": another worker holds it
    retry_in: float = 0.0  # for "busy": when its claim may be taken over (its heartbeat or lease runs out)


def lease() -> timedelta:
    return timedelta(seconds=settings.SEEDTRACE_EVALUATION_LEASE)


def resend_after() -> timedelta:
    return timedelta(seconds=settings.SEEDTRACE_EVALUATION_RESEND)


def queue_job(candidate: Candidate) -> EvaluationJob:
    """The candidate's job, its task counted as sent (it is, once the surrounding transaction commits)."""
    return EvaluationJob.objects.bulk_create(new_jobs([candidate]))[0]


def new_jobs(candidates: list[Candidate]) -> list[EvaluationJob]:
    """Unsaved jobs for the candidates, their tasks counted as sent (they are, once the jobs are written)."""
    now = timezone.now()
    return [EvaluationJob(candidate=c, run_id=c.run_id, sent_at=now) for c in candidates]


def evaluate_candidate(candidate_id: int, worker: str = "") -> Attempt:
    token = claim(candidate_id, worker)
    if token is None:
        return _why_not(candidate_id)
    try:
        beating = heartbeat.Heartbeat(lambda: beat(candidate_id, token), f"heartbeat of job {candidate_id}")
        with beating:
            return _evaluate(candidate_id, token)
    except BaseException:
        # Cut off (a task's time limit, Ctrl-C): hand the claim back, so the job is not left running until
        # its lease runs out, or for ever where no message for it is left to deliver.
        release(candidate_id, token)
        raise


def _evaluate(candidate_id: int, token: str) -> Attempt:
    candidate = Candidate.objects.select_related("run").get(pk=candidate_id)
    verdicts = _verdicts(candidate)
    if candidate.activity in BY_PEOPLE:
        return _record_by_person(candidate, token, verdicts)
    # The evaluations and the job's end are written together where this worker still holds the job: on
    # PostgreSQL, one statement (provenance.optimistic).
    with ledger.batch(candidate.run, alone=True, guard=_jobs_held([candidate_id], token)) as chain:
        for verdict in verdicts:
            ledger.record_evaluation(candidate, **verdict.fields())
    # Not written: the lease ran out and another worker took the job over; it records, not us.
    return Attempt("done" if chain.written else "finished")


def _verdicts(candidate: Candidate) -> list[ProblemVerdict]:
    checks = second_check.policy(candidate.run_id, by_person=candidate.activity in BY_PEOPLE,
                                 objective=objective.of_run(candidate.run))
    problems, limits = scored_on(candidate.run, candidate), run_limits(candidate.run)
    verdicts = score_candidate(candidate, problems, limits, checks)
    verdicts += held_out.scored(candidate, verdicts, checks, limits)  # a rule that could be final
    stop_signals.check()  # scored while a stop's exception was swallowed: not trusted, scored again on resume
    return verdicts


def evaluate_together(candidate_ids: list[int], worker: str = "") -> None:
    """A step's jobs, evaluated one after another by this process and recorded in one write where it still
    holds them all (the embedded mode, where one process scores a step's candidates in turn anyway: one
    write instead of one per candidate). Each job is claimed as its turn comes, all under one token; a job
    someone else holds or has finished is left to them.

    The price: a candidate's evaluations reach the record with its step's last, and a process that dies
    before then leaves them all to be scored again on resume (scoring is deterministic)."""
    token, held = uuid.uuid4().hex, []
    candidates = Candidate.objects.filter(pk__in=candidate_ids).select_related("run").order_by("pk")
    try:
        with heartbeat.Heartbeat(lambda: beat_all(held, token), f"heartbeat of {len(candidate_ids)} jobs"):
            scored = []
            for candidate in candidates:
                if candidate.activity in BY_PEOPLE:  # recorded with the counters of its run: on its own
                    evaluate_candidate(candidate.pk, worker)
                elif claim(candidate.pk, worker, token) is not None:
                    held.append(candidate.pk)
                    scored.append((candidate, _verdicts(candidate)))
            if not scored:
                return
            with ledger.batch(scored[0][0].run, alone=True, guard=_jobs_held(held, token)) as chain:
                for candidate, verdicts in scored:
                    for verdict in verdicts:
                        ledger.record_evaluation(candidate, **verdict.fields())
    except BaseException:
        release_all(held, token)  # cut off: the claims go back, as evaluate_candidate's do
        raise
    if not chain.written:  # one of them taken over meanwhile: the rest go back to be scored again
        release_all(held, token)


def _jobs_held(candidate_ids: list[int], token: str) -> Guard:
    """The jobs as this worker holds them (every one), marked done with the evaluations."""
    column = EvaluationJob._meta.get_field("candidate").column
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    ids = ", ".join(["%s"] * len(candidate_ids))
    return Guard(
        EvaluationJob._meta.db_table,
        f"{column} IN ({ids}) AND status = %s AND token = %s", (*candidate_ids, Status.RUNNING.value, token),
        "status = %s, finished_at = %s", (Status.DONE.value, now), rows=len(candidate_ids),
    )


def _record_by_person(candidate: Candidate, token: str, verdicts) -> Attempt:
    """A person's candidate also moves the counters of a run that has ended: in the same transaction."""
    with ledger.batch(candidate.run) as chain, chain.deferred():
        done = EvaluationJob.objects.filter(pk=candidate.pk, status=Status.RUNNING, token=token).update(
            status=Status.DONE, finished_at=timezone.now()
        )
        if not done:  # the lease ran out and another worker took the job over: it records, not us
            return Attempt("finished")
        for verdict in verdicts:
            ledger.record_evaluation(candidate, **verdict.fields())
        count_after_the_run(candidate, verdicts)
    return Attempt("done")


def score_candidate(candidate: Candidate, problems, limits: Limits, checks: Policy = ASKED
                    ) -> list[ProblemVerdict]:
    """The candidate's verdicts: refused unrun when its extraction says why, else its source scored through
    the sandbox and solver, by its run's objective. (`reevaluate` scores the same way.)"""
    verdicts = refused(candidate, problems)
    if verdicts is not None:
        return verdicts
    return score_program(candidate.source, problems, limits, checks, objective.of_run(candidate.run))


def refused(candidate: Candidate, problems) -> list[ProblemVerdict] | None:
    """A failed verdict on every problem with the reason the candidate was refused before it could run, or
    None when it was not."""
    reason = refusal(candidate)
    if reason is None:
        return None
    return [ProblemVerdict(p.problem.name, FAILED, seconds=0.0, failure="refused", error=f"refused: {reason}",
                           details={"refused_by": "extraction"}) for p in problems.problems]


def refusal(candidate: Candidate) -> str | None:
    """Why the candidate's program was refused before it could run (params.extraction), or None."""
    extraction = (candidate.params or {}).get("extraction")
    if isinstance(extraction, dict) and extraction.get("ok") is False:
        return str(extraction.get("reason") or "no program could be read from the completion")
    return None


def count_after_the_run(candidate: Candidate, verdicts) -> None:
    """A person's candidate evaluated after its run ended, when no controller is left to adopt it, still
    moves the run's counters and best as the controller would have (a live run's controller counts it);
    one scored apart, on problems of a person's choosing that leave out some of the run's, does not."""
    verdicts = on_the_run(verdicts, candidate.run.problems)
    if verdicts is None:
        return
    ended = RunState.objects.filter(run_id=candidate.run_id, status__in=ENDED)
    RunTally.of_one(candidate.pk, verdicts, objective.of_run(candidate.run)).add_to(ended)


def dead_claim(now) -> Q:
    """A claim whose worker is taken for dead: silent for three heartbeats or, the last resort, older than the
    lease (a worker alive but stuck, or one that never beat)."""
    return Q(status=Status.RUNNING) & (Q(heartbeat_at__lt=now - heartbeat.silence())
                                       | Q(claimed_at__lt=now - lease()))


def claim(candidate_id: int, worker: str = "", token: str | None = None) -> str | None:
    now, token = timezone.now(), token or uuid.uuid4().hex
    claimable = Q(status=Status.QUEUED) | dead_claim(now)
    taken = EvaluationJob.objects.filter(claimable, pk=candidate_id).update(
        status=Status.RUNNING, token=token, claimed_at=now, heartbeat_at=now, worker=worker[:200],
        attempts=F("attempts") + 1,
    )
    return token if taken else None


def beat(candidate_id: int, token: str) -> bool:
    """The claim's heartbeat; False once the claim is no longer held (done, handed back, taken over)."""
    return beat_all([candidate_id], token)


def release(candidate_id: int, token: str) -> bool:
    """Give up a claim still held (a no-op once the job is done or taken over)."""
    return bool(release_all([candidate_id], token))


def beat_all(candidate_ids: list[int], token: str) -> bool:
    """The heartbeat of claims made under one token; False once none is held."""
    return bool(EvaluationJob.objects.filter(pk__in=candidate_ids, status=Status.RUNNING, token=token).update(
        heartbeat_at=timezone.now()
    ))


def release_all(candidate_ids: list[int], token: str) -> int:
    """Give up the claims made under one token that are still held; how many that was."""
    return EvaluationJob.objects.filter(pk__in=candidate_ids, status=Status.RUNNING, token=token).update(
        status=Status.QUEUED, token="", claimed_at=None, heartbeat_at=None
    )


def release_orphans(run: Run) -> int:
    """Put back jobs claimed by processes that are gone (the embedded mode's controller died with them)."""
    return EvaluationJob.objects.filter(run=run, status=Status.RUNNING).update(
        status=Status.QUEUED, token="", claimed_at=None, heartbeat_at=None
    )


def lost_messages(run: Run, stalled: bool = False, overtaken=None) -> list[int]:
    """The run's jobs whose task message looks lost, counted as sent again now: the caller sends them.

    A job still queued SEEDTRACE_EVALUATION_RESEND seconds after its task was sent (a broker restart lost it,
    or a task that failed on the database was acknowledged); sooner, three heartbeats after, when the run
    has `stalled` (no job has finished for three heartbeats: a restarted broker lost every message it held),
    or when a job sent three heartbeats later has finished (`overtaken`: the latest sent_at of a finished job;
    a queue delivers in order, so a message overtaken by that much is gone while the run goes on);
    or one whose worker is taken for dead (its message may wait out a visibility timeout, or be gone)
    and that was not sent again since. Nothing is recorded: a copy of a message still queued finds the job
    claimed, or done.
    """
    now = timezone.now()
    unsent = Q(sent_at__isnull=True)
    overdue = Q(sent_at__lt=now - resend_after())
    if stalled:
        overdue |= Q(sent_at__lt=now - heartbeat.silence())
    if overtaken is not None:
        overdue |= Q(sent_at__lt=overtaken - heartbeat.silence())
    queued = Q(status=Status.QUEUED) & (unsent | overdue)
    dead = dead_claim(now) & (unsent | Q(sent_at__lt=now - heartbeat.silence()))
    jobs = EvaluationJob.objects.filter(queued | dead, run=run)
    ids = sorted(jobs.values_list("candidate_id", flat=True))
    if ids:
        sent_again(ids, now)
    return ids


def sent_again(candidate_ids: list[int], now=None) -> None:
    now = now or timezone.now()
    for start in range(0, len(candidate_ids), 5000):  # stay below SQLite's limit on query parameters
        EvaluationJob.objects.filter(pk__in=candidate_ids[start:start + 5000]).update(sent_at=now)


def run_problems(run: Run):
    return problems_named(run, run.problems)


def run_limits(run: Run) -> Limits:
    return Limits(**run.config.get("limits", {}))


def _why_not(candidate_id: int) -> Attempt:
    job = EvaluationJob.objects.filter(pk=candidate_id).values("status", "claimed_at", "heartbeat_at").first()
    if job is None:
        raise EvaluationJob.DoesNotExist(f"no evaluation job for candidate {candidate_id}")
    if job["status"] == Status.DONE:
        return Attempt("finished")
    if job["status"] == Status.QUEUED:  # handed back between our claim and this look: try again at once
        return Attempt("busy", retry_in=1.0)
    expires = job["claimed_at"] + lease()
    if job["heartbeat_at"] is not None:
        expires = min(expires, job["heartbeat_at"] + heartbeat.silence())
    return Attempt("busy", retry_in=max(1.0, (expires - timezone.now()).total_seconds()))
