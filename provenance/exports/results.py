"""The results that open every export: the final rule, its seeds and equations per problem beside the
literature's rules, at how many primes and points each number was reached, and what was not checked; and a
whole run's numbers (what each kind of step produced, the candidates with the fewest seeds).

Facts only, computed once an export: provenance.exports.outline holds them for the transcript and the LaTeX
supplement, provenance.exports.provjson writes them as PROV; each only formats them. The sentences here are
plain untrusted text (problem names are recorded text): escaping them is the format's job.

The final rule is the focus of a candidate's export, or a run's best candidate: complete on every problem
with the fewest seeds in all, else the highest summed score (the earliest on a tie). Its numbers come from
its Evaluation records; the baselines from the solver (provenance.exports.baselines). An evolution repeats
the complete reductions of every rule that could be that (evolution.second_check), so a run's best is
checked at a second prime and point; a candidate exported on its own may not have been, and then says so.
"""

from collections import defaultdict
from dataclasses import dataclass

from provenance.exports.baselines import CHECKS, Baseline, baselines
from provenance.exports.front import RunFront, run_front
from provenance.exports.notation import rule_math
from provenance.exports.scope import Scope
from provenance.models import Candidate, Evaluation

TOP = 20  # candidates listed in a run's numbers; the JSONL archive and the crate have every one
RULES = (("laporta", "Laporta"), ("kira3", "Kira-3"))  # the baselines' columns, in order
COLUMNS = ["problem", "verdict", "seeds", "equations", "primes", *(f"{n} seeds / eqs" for _, n in RULES)]
ACTIVITY_COLUMNS = ["activity", "candidates", "complete on every problem", "failed evaluations"]
TOP_COLUMNS = ["candidate", "activity", "seeds in all", "hash"]


@dataclass(frozen=True)
class Row:
    problem: str
    evaluation: Evaluation | None
    primes: list[int]  # the primes at which the recorded verdict was reached (the first included)
    disagreed: list[int]  # primes at which a re-check reached another verdict
    baselines: tuple[Baseline, ...]
    held_out: bool = False  # a problem of the run's family it never trained on

    @property
    def complete(self) -> bool:
        return self.evaluation is not None and self.evaluation.verdict == "complete"

    @property
    def second_check(self) -> str:
        """Why the complete reduction was (or was not) repeated, as recorded; "" where nothing says."""
        return str((self.evaluation.details or {}).get("second_check", "")) if self.evaluation else ""

    def cells(self) -> list[str | None]:
        """The table row as COLUMNS, None where there is nothing to show."""
        e = self.evaluation
        if e is None:
            ours = ["not evaluated", None, None, None]
        else:
            ours = [e.verdict, _text(e.seeds), _text(e.equations), _text(len(self.primes) or None)]
        by_rule = {b.rule: b for b in self.baselines}
        problem = f"{self.problem} (held out)" if self.held_out else self.problem
        return [problem, *ours, *(_baseline(by_rule.get(rule)) for rule, _ in RULES)]


@dataclass(frozen=True)
class Results:
    candidate: Candidate | None  # None: the record holds no candidate
    which: str  # "final program", or "best candidate of the run"
    math: str | None  # the rule in LaTeX math, or None when it is no plain formula
    rows: list[Row]
    checked: str  # at how many primes and points the numbers were reached, in words
    unchecked: list[str]

    @property
    def notation(self) -> str:
        """The rule in mathematical notation, a sentence with its $…$ (our own tokens only: not escaped)."""
        if self.math:
            return f"In mathematical notation, a seed is kept when ${self.math}$."
        return "The rule is not a single formula of the seed's features: the code above states it."


@dataclass(frozen=True)
class ActivityRow:
    activity: str
    candidates: int
    complete: int  # complete on every problem
    failed: int  # failed evaluations


@dataclass(frozen=True)
class Ranked:
    candidate: Candidate
    seeds: int | None  # in all, where complete on every problem


@dataclass(frozen=True)
class RunNumbers:
    """A whole run in a few numbers and two tables, rather than thousands of pages."""

    candidates: int
    evaluations: int
    calls: int
    lone_calls: int  # LLM calls that produced no program
    activities: list[ActivityRow]
    top: list[Ranked]  # the TOP with the fewest seeds, complete on every problem first
    front: RunFront | None = None  # under a Pareto objective: the run's results (provenance.exports.front)

    @property
    def counted(self) -> str:
        return (f"{self.candidates} candidates, {self.evaluations} evaluations, {self.calls} LLM calls; "
                f"{self.lone_calls} LLM call(s) produced no program.")

    @property
    def top_title(self) -> str:
        return f"The {len(self.top)} candidates with the fewest seeds, complete on every problem first"


def results(scope: Scope) -> Results:
    candidate = scope.focus or best(scope)
    which = "best candidate of the run" if scope.whole_run else "final program"
    if candidate is None:
        return Results(None, which, None, [], "", ["The record holds no candidate."])
    done = {e.problem: e for e in scope.evaluations_of(candidate)}
    rows = [_row(scope.run.family, problem, done.get(problem)) for problem in scope.run.problems]
    # Problems it was never trained on: the run's held-out ones, and any it has results on beside them.
    beside = list(scope.run.config.get("held_out") or ()) + sorted(set(done) - set(scope.run.problems))
    rows += [_row(scope.run.family, problem, done.get(problem), held_out=True)
             for problem in dict.fromkeys(beside)]
    return Results(candidate, which, rule_math(candidate.source), rows, checked(rows), unchecked(rows))


def best(scope: Scope) -> Candidate | None:
    return max(scope.candidates, key=lambda candidate: _rank(scope, candidate), default=None)


def _rank(scope: Scope, candidate: Candidate) -> tuple:
    problems = _problems(scope)
    seeds = _seeds(scope, candidate)
    if seeds is not None:
        return (1, -seeds, -candidate.pk)
    done = {e.problem: e for e in scope.evaluations_of(candidate)}
    scores = [done[p].score if p in done and done[p].score is not None else None for p in problems]
    return (0, -float("inf") if None in scores else sum(scores), -candidate.pk)


def _problems(scope: Scope) -> list[str]:
    if "problems" not in scope._cache:
        scope._cache["problems"] = sorted({p for run in scope.runs for p in run.problems})
    return scope._cache["problems"]


def _seeds(scope: Scope, candidate: Candidate) -> int | None:
    """Seeds over every problem, where the candidate is complete on each; None where not."""
    done = {e.problem: e for e in scope.evaluations_of(candidate)}
    problems = _problems(scope)
    if problems and all(p in done and done[p].verdict == "complete" for p in problems):
        return sum(done[p].seeds or 0 for p in problems)
    return None


def _row(family: str, problem: str, evaluation: Evaluation | None, held_out: bool = False) -> Row:
    checks = (evaluation.details or {}).get("checks", []) if evaluation is not None else []
    first = [evaluation.prime] if evaluation is not None and evaluation.prime is not None else []
    agreed = first + [c["prime"] for c in checks if c.get("agree")]
    disagreed = [c["prime"] for c in checks if not c.get("agree")]
    return Row(problem, evaluation, agreed, disagreed, baselines(family, problem), held_out)


def checked(rows: list[Row]) -> str:
    """At how many independent primes and random points each number of the table was reached."""
    primes = sorted({p for row in rows for p in row.primes})
    listed = ", ".join(map(str, primes)) or "none recorded"
    least = min((len(row.primes) for row in rows), default=0)
    if rows and all(row.complete for row in rows) and least >= 2:
        ours = (f"Completeness of the rule was checked at {least} or more independent primes and random "
                f"points per problem, as its primes column says (primes {listed})")
    else:
        ours = f"The rule's verdicts were reached at {_counts(rows)} (primes {listed})"
    return (f"{ours}; {_literature(rows)}. Seeds and equations are counted without symmetries, with IBP and "
            "Lorentz-invariance identities.")


def _counts(rows: list[Row]) -> str:
    """"2 independent primes and random points on rank2; one prime and point on rank3 (why)", …"""
    parts = []
    for row in rows:
        if row.evaluation is None:
            parts.append(f"none on {row.problem} (not evaluated)")
            continue
        n = len(row.primes)
        if n == 0:  # failed, or stopped at its seed cap: nothing was reduced
            parts.append(f"none on {row.problem} ({row.evaluation.verdict}, no reduction recorded)")
            continue
        count = f"{n} independent primes and random points" if n > 1 else "one prime and point"
        why = ""
        if not row.complete:
            why = " (an incomplete verdict is not repeated)"
        elif n < 2 and row.second_check:
            why = f" (not repeated: {row.second_check})"
        parts.append(f"{count} on {row.problem}{why}")
    return "; ".join(parts) or "no prime: the run has no problem"


def _literature(rows: list[Row]) -> str:
    reduced = [(row.problem, b) for row in rows for b in row.baselines]
    if not reduced:
        return "no literature rule was reduced"
    short = [f"{dict(RULES)[b.rule]} on {p} at {b.agreed}" for p, b in reduced if b.agreed < CHECKS]
    agreed = f"; their verdicts agreed at {CHECKS} except {', '.join(short)}" if short else ""
    each = f"{CHECKS} primes and points each, the first the rule's"
    return f"the literature rules were reduced at {each}{agreed}"


def unchecked(rows: list[Row]) -> list[str]:
    """What a reader should not take as shown, in words."""
    out = [
        "Reductions are over finite fields at random numeric points: no rational reconstruction of the "
        "coefficients was done, so the reduction is shown to close, not computed analytically.",
        "No sector symmetries were used; master counts are those without symmetries.",
    ]
    held = [row.problem for row in rows if row.held_out]
    if held:
        out.append(f"The rule was trained on this run's problems; {', '.join(held)} were held out (never "
                   "trained on). How it does on other families or targets is not checked.")
    else:
        out.append("The rule was evaluated on this run's problems only; how it generalises to other families "
                   "or targets is not checked.")
    for row in rows:
        if row.evaluation is None:
            out.append(f"Problem {row.problem}: no evaluation recorded.")
        elif row.complete and len(row.primes) < 2:
            why = f" ({row.second_check})" if row.second_check else ""
            out.append(f"Problem {row.problem}: complete at one prime and point only{why}.")
        if row.disagreed:
            out.append(f"Problem {row.problem}: the verdict differed at prime(s) {row.disagreed}.")
        if not row.baselines:
            out.append(f"Problem {row.problem}: no literature baseline (family not built in).")
    return out


def run_numbers(scope: Scope) -> RunNumbers:
    by_activity: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in scope.candidates:
        by_activity[candidate.activity].append(candidate)
    activities = [
        ActivityRow(
            activity,
            len(candidates),
            sum(1 for c in candidates if _seeds(scope, c) is not None),
            sum(1 for c in candidates for e in scope.evaluations_of(c) if e.verdict == "failed"),
        )
        for activity, candidates in sorted(by_activity.items())
    ]
    ranked = sorted(scope.candidates, key=lambda c: (_seeds_key(scope, c), c.pk))[:TOP]
    produced = {c.llm_call_id for c in scope.candidates}
    return RunNumbers(
        candidates=len(scope.candidates),
        evaluations=len(scope.evaluations),
        calls=len(scope.calls),
        lone_calls=sum(1 for call in scope.calls if call.pk not in produced),
        activities=activities,
        top=[Ranked(c, _seeds(scope, c)) for c in ranked],
        front=run_front(scope),
    )


def _seeds_key(scope: Scope, candidate: Candidate) -> float:
    seeds = _seeds(scope, candidate)
    return float("inf") if seeds is None else seeds


def _baseline(b: Baseline | None) -> str | None:
    if b is None:
        return None
    return f"{b.seeds} / {b.equations}" + ("" if b.complete else " (incomplete)")


def _text(value) -> str | None:
    return None if value is None else str(value)
