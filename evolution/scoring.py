"""Score one rule's source on a run's problems: the sandbox selects the seeds, the solver reduces them.

This is the one path every evaluation takes (an evolution's workers, `manage.py evaluate`, `reevaluate`),
so a score is reproducible from the source alone.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import solver
from evolution import sandbox
from evolution.headline import headline
from evolution.problems import ProblemContext, ProblemSet
from solver.masters import VERSION as MASTERS_VERSION
from solver.score import ProblemScore, score_problem

SOLVER_VERSION = f"seedtrace-solver {solver.__version__} ({MASTERS_VERSION})"
COMPLETE, INCOMPLETE, FAILED = "complete", "incomplete", "failed"
# A complete reduction is repeated at another prime and point before it is recorded as complete: a rule that
# closes at one random point closes generically only with high probability. Reported in every export.
CHECKS = 2


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


DEFAULT_LIMITS = sandbox.Limits()


def score_program(source: str, problems: ProblemSet, limits: sandbox.Limits = DEFAULT_LIMITS
                  ) -> list[ProblemVerdict]:
    """A verdict per problem; a rule the sandbox refuses or that crashes fails on every problem alike."""
    try:
        sandbox.check(source, attributes=problems.problems[0].table.attributes, limits=limits)
    except sandbox.Refused as refused:
        return [_failed(p.problem.name, "refused", f"refused: {refused}", 0.0) for p in problems.problems]
    return [_score_one(source, context, problems, limits) for context in problems.problems]


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


def _score_one(source: str, context: ProblemContext, problems: ProblemSet, limits) -> ProblemVerdict:
    name = context.problem.name
    outcome = sandbox.run(source, context.table, limits)
    if not outcome.ok:
        return _failed(name, outcome.failure, outcome.reason, outcome.seconds, {"sandbox": outcome.path})
    scored = score_problem(problems.family, context.problem, outcome.selection, cap=context.cap, check=CHECKS)
    return _verdict(name, scored, outcome.seconds, outcome.path, context.cap)


def _verdict(name: str, scored: ProblemScore, rule_seconds: float, path: str, cap: int) -> ProblemVerdict:
    details = {"rule_seconds": round(rule_seconds, 6), "sandbox": path, "selected": scored.selected,
               "cap": cap}
    if scored.capped:
        details["capped"] = True
        return ProblemVerdict(name, INCOMPLETE, score=scored.score, seeds=scored.selected,
                              seconds=rule_seconds, details=details)
    result = scored.result
    details["unreduced_integrals"] = [list(i) for i in result.unreduced[:20]]
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
