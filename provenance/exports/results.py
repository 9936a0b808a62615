"""The results that open a supplement: the final rule, its seeds and equations per problem beside the
literature's rules, at how many primes and points completeness was checked, and what was not checked.

The final rule is the focus of a candidate's export, or a run's best candidate: complete on every problem
with the fewest seeds in all, else the highest summed score (the earliest on a tie). Its numbers come from
its Evaluation records; the baselines from the solver (provenance.exports.baselines).
"""

from dataclasses import dataclass

from provenance.exports.baselines import Baseline, baselines
from provenance.exports.notation import rule_math
from provenance.exports.scope import Scope
from provenance.models import Candidate, Evaluation


@dataclass(frozen=True)
class Row:
    problem: str
    evaluation: Evaluation | None
    primes: list[int]  # the primes at which the recorded verdict was reached (the first included)
    disagreed: list[int]  # primes at which a re-check reached another verdict
    baselines: tuple[Baseline, ...]


@dataclass(frozen=True)
class Results:
    candidate: Candidate | None
    math: str | None  # the rule in LaTeX math, or None when it is no plain formula
    rows: list[Row]
    unchecked: list[str]


def best(scope: Scope) -> Candidate | None:
    problems = sorted({p for run in scope.runs for p in run.problems})

    def rank(candidate: Candidate) -> tuple:
        done = {e.problem: e for e in scope.evaluations_of(candidate)}
        if all(done.get(p) is not None and done[p].verdict == "complete" for p in problems):
            return (1, -sum(done[p].seeds or 0 for p in problems), -candidate.pk)
        scores = [done[p].score if p in done and done[p].score is not None else None for p in problems]
        return (0, -float("inf") if None in scores else sum(scores), -candidate.pk)

    return max(scope.candidates, key=rank, default=None)


def results(scope: Scope) -> Results:
    candidate = scope.focus or best(scope)
    if candidate is None:
        return Results(None, None, [], ["The record holds no candidate."])
    done = {e.problem: e for e in scope.evaluations_of(candidate)}
    rows = [_row(scope.run.family, problem, done.get(problem)) for problem in scope.run.problems]
    return Results(candidate, rule_math(candidate.source), rows, unchecked(rows))


def _row(family: str, problem: str, evaluation: Evaluation | None) -> Row:
    checks = (evaluation.details or {}).get("checks", []) if evaluation is not None else []
    first = [evaluation.prime] if evaluation is not None and evaluation.prime is not None else []
    agreed = first + [c["prime"] for c in checks if c.get("agree")]
    disagreed = [c["prime"] for c in checks if not c.get("agree")]
    return Row(problem, evaluation, agreed, disagreed, baselines(family, problem))


def unchecked(rows: list[Row]) -> list[str]:
    """What a reader should not take as shown, in words."""
    out = [
        "Reductions are over finite fields at random numeric points: no rational reconstruction of the "
        "coefficients was done, so the reduction is shown to close, not computed analytically.",
        "No sector symmetries were used; master counts are those without symmetries.",
        "The rule was evaluated on this run's problems only; how it generalises to other families or "
        "targets is not checked.",
    ]
    for row in rows:
        if row.evaluation is None:
            out.append(f"Problem {row.problem}: no evaluation recorded.")
        elif row.evaluation.verdict == "complete" and len(row.primes) < 2:
            out.append(f"Problem {row.problem}: complete at one prime and point only.")
        if row.disagreed:
            out.append(f"Problem {row.problem}: the verdict differed at prime(s) {row.disagreed}.")
        if not row.baselines:
            out.append(f"Problem {row.problem}: no literature baseline (family not built in).")
    return out
