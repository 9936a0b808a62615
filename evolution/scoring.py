"""Score one rule's source on a run's problems: the sandbox selects the seeds, the solver reduces them.

This is the one path every evaluation takes (an evolution's workers, `manage.py evaluate`, `reevaluate`),
so a score is reproducible from the source alone.

A complete reduction closes at one random prime and point; it closes generically only with high
probability. Repeating it at CHECKS − 1 other primes and points costs a reduction each, so the caller
decides whose complete reductions are repeated (a `Policy`): `manage.py evaluate`, `reevaluate` and an
import repeat every one; an evolution's workers only those of a rule that could be shown as a final result
(evolution.second_check). Either way the verdict records whether it was repeated and why
(details["second_check"]), and each repeat (details["checks"]); every export says at how many primes and
points each number was reached. The run's objective (evolution.objective) makes each verdict's score.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field

import solver
from evolution import objective as objectives
from evolution import rank_growth, sandbox
from evolution.headline import headline
from evolution.problems import ProblemContext, ProblemSet
from solver.family import Family
from solver.masters import VERSION as MASTERS_VERSION
from solver.masters import family_masters
from solver.reduction import check_points, record_checks, reduce_seeds
from solver.score import ProblemScore, capped_score, score_problem

SOLVER_VERSION = f"seedtrace-solver {solver.__version__} ({MASTERS_VERSION})"
COMPLETE, INCOMPLETE, FAILED = "complete", "incomplete", "failed"
CHECKS = 2  # primes and points at which a repeated complete reduction is reached: the first and one more


@dataclass
class ProblemVerdict:
    """One problem's evaluation, shaped as the Evaluation record's fields."""

    problem: str
    verdict: str
    score: float | None = None
    seeds: int | None = None
    equations: int | None = None
    independent_equations: int | None = None
    masters: int | None = None
    unreduced: int | None = None
    seconds: float | None = None
    failure: str = ""
    error: str = ""
    solver_version: str = SOLVER_VERSION
    prime: int | None = None
    point: dict = field(default_factory=dict)
    details: dict = field(default_factory=dict)

    def fields(self) -> dict:
        return asdict(self)

    def comparable(self) -> tuple:
        """What must not change when the same source is scored again (times may)."""
        return (self.problem, self.verdict, self.score, self.seeds, self.equations,
                self.independent_equations, self.masters, self.unreduced, self.failure)


@dataclass(frozen=True)
class SecondCheck:
    """Whether a rule's complete reductions are repeated at other primes and points, and why."""

    made: bool
    why: str


# Decides from the verdicts at the first prime and point whether to repeat the complete ones.
Policy = Callable[[list[ProblemVerdict]], SecondCheck]


def always(why: str) -> Policy:
    return lambda verdicts: SecondCheck(True, why)


ASKED = always("asked for")
DEFAULT_LIMITS = sandbox.Limits()
SEEDS = objectives.parse(objectives.DEFAULT)


def score_program(source: str, problems: ProblemSet, limits: sandbox.Limits = DEFAULT_LIMITS,
                  second_check: Policy = ASKED, objective: objectives.Objective = SEEDS
                  ) -> list[ProblemVerdict]:
    """A verdict per problem, scored by the run's `objective` (evolution.objective); a rule the sandbox
    refuses or that crashes fails on every problem alike. The complete reductions are repeated where
    `second_check` decides so."""
    try:
        sandbox.check(source, attributes=problems.problems[0].table.attributes, limits=limits)
    except sandbox.Refused as refused:
        return [_failed(p.problem.name, "refused", f"refused: {refused}", 0.0) for p in problems.problems]
    scored = [_Scored.of(source, context, problems, limits, objective) for context in problems.problems]
    complete = [s for s in scored if s.complete]
    if complete:
        decision = second_check([s.verdict() for s in scored])
        for s in complete:
            s.check_again(problems.family, decision)
    return [s.verdict() for s in scored]


def signature(verdicts: list[ProblemVerdict]) -> tuple[float, ...] | None:
    """The per-problem scores FunSearch clusters on; None when the rule failed to run on some problem (or
    has no score on it: a record no evaluator here wrote, say an imported one)."""
    if any(v.verdict == FAILED or v.score is None for v in verdicts):
        return None
    return tuple(float(v.score) for v in verdicts)


def headline_score(verdicts) -> float | None:
    """A run's measure of its best rule: the headline (evolution.headline) of the per-problem scores
    (verdicts or Evaluation records); None when the rule failed to run on some problem."""
    scores = signature(verdicts)
    return None if scores is None else headline(scores)


def total_seeds(verdicts: list[ProblemVerdict]) -> int | None:
    """Seeds over all problems when the rule is complete on every one of them (and each says how many)."""
    if all(v.verdict == COMPLETE and v.seeds is not None for v in verdicts):
        return sum(v.seeds for v in verdicts)
    return None


@dataclass
class _Scored:
    """One problem scored at the first prime and point, until its verdict is made."""

    context: ProblemContext
    outcome: sandbox.Outcome
    scored: ProblemScore | None  # None: the rule did not run
    family: Family
    objective: objectives.Objective
    second_check: str = ""  # why the complete reduction was (or was not) repeated
    short: str = ""  # why the rule lacks the rank growth the run requires (evolution.rank_growth)

    @classmethod
    def of(cls, source: str, context: ProblemContext, problems: ProblemSet, limits,
           objective: objectives.Objective) -> _Scored:
        outcome = sandbox.run(source, context.table, limits)
        if not outcome.ok:
            return cls(context, outcome, None, problems.family, objective)
        if objective.rank_growth:
            short = rank_growth.shortfall(source, context, outcome.selection, limits)
            if short:  # not reduced: scored as a rule over the cap is
                selected = int(outcome.selection.sum())
                penalty = capped_score(len(context.pool))
                scored = ProblemScore(context.problem.name, penalty, selected, True, None)
                return cls(context, outcome, scored, problems.family, objective, short=short)
        scored = score_problem(problems.family, context.problem, outcome.selection, cap=context.cap)
        return cls(context, outcome, scored, problems.family, objective)

    @property
    def complete(self) -> bool:
        return self.scored is not None and self.scored.result is not None and self.scored.result.complete

    def check_again(self, family, decision: SecondCheck) -> None:
        """The reduction repeated at the other primes and points (the same seeds), when decided so."""
        self.second_check = decision.why
        if not decision.made:
            return
        seeds, targets = self.context.pool.indices[self.outcome.selection], self.context.problem.targets
        others = [reduce_seeds(family, targets, seeds, family_masters(family), point)
                  for point in check_points(family, CHECKS)[1:]]
        record_checks(self.scored.result, others)

    def verdict(self) -> ProblemVerdict:
        name, outcome = self.context.problem.name, self.outcome
        if self.scored is None:
            return _failed(name, outcome.failure, outcome.reason, outcome.seconds, {"sandbox": outcome.path})
        verdict = _verdict(name, self.scored, outcome.seconds, outcome.path, self.context.cap)
        if self.short:
            verdict.details.pop("capped")
            verdict.details["rank_growth"] = self.short
        if self.second_check:
            verdict.details["second_check"] = self.second_check
        self.objective.score(verdict, self.family, self.context.cap)
        return verdict


def _verdict(name: str, scored: ProblemScore, rule_seconds: float, path: str, cap: int) -> ProblemVerdict:
    details = {"rule_seconds": round(rule_seconds, 6), "sandbox": path, "selected": scored.selected,
               "cap": cap}
    if scored.capped:
        details["capped"] = True
        return ProblemVerdict(name, INCOMPLETE, score=scored.score, seeds=scored.selected,
                              seconds=rule_seconds, details=details)
    result = scored.result
    details["unreduced_integrals"] = [list(i) for i in result.unreduced[:20]]
    details["work"] = scored.work()  # what the elimination cost a reducer: pivots, fill-in, multiply-adds…
    if result.checks:
        details["checks"] = result.checks  # the other primes and points, and whether each agreed
    return ProblemVerdict(
        name, COMPLETE if result.complete else INCOMPLETE, score=scored.score, seeds=result.seeds,
        equations=result.equations, independent_equations=result.independent_equations,
        masters=len(result.masters), unreduced=len(result.unreduced),
        seconds=round(rule_seconds + result.seconds, 6), prime=result.prime, point=result.point,
        details=details,
    )


def _failed(name: str, failure: str, reason: str, seconds: float, details: dict | None = None
            ) -> ProblemVerdict:
    return ProblemVerdict(name, FAILED, failure=failure, error=reason, seconds=round(seconds, 6),
                          details=details or {})
