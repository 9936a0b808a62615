"""A run scored by a Pareto objective (its configuration's `objective`, e.g. "pareto(seeds,pivots)") has a set
of results: its front. For a whole run's export, the candidates complete on every problem of the run whose
point (each axis summed over the problems, as each evaluation recorded it in details["pareto"], higher
better) no other such candidate dominates, listed with their totals, fewest seeds first.

Read from the records alone (the record store imports no room): the objective is recorded text, parsed by a
pattern of lower-case names, and an evaluation whose axes are not a list of numbers of the objective's width
leaves its candidate out (a hand-made or imported record may hold anything). Names are escaped by each format.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from provenance.exports.scope import Scope
from provenance.models import Candidate

PARETO = re.compile(r"pareto\(([a-z_]{1,40}(?:,[a-z_]{1,40}){1,2})\)")


@dataclass(frozen=True)
class FrontRow:
    candidate: Candidate
    totals: tuple[float, ...]  # each axis over the run's problems, as counted (seeds first): lower is better


@dataclass(frozen=True)
class RunFront:
    objective: str
    names: tuple[str, ...]
    rows: list[FrontRow]

    @property
    def title(self) -> str:
        count = f"the {len(self.rows)} candidates" if len(self.rows) != 1 else "the one candidate"
        return (f"The run's results under its objective {self.objective}: {count} complete on every problem "
                "that no other beats on every axis (its Pareto front), fewest seeds first")

    @property
    def columns(self) -> list[str]:
        return ["candidate", *(f"{name} in all" for name in self.names)]


def point_text(front: RunFront, row: FrontRow) -> str:
    """`candidate 12: seeds in all 512, pivots in all 26685`: a point of the front in words."""
    totals = ", ".join(f"{name} in all {value}" for name, value in zip(front.names, row.totals, strict=True))
    return f"candidate {row.candidate.pk}: {totals}"


def run_front(scope: Scope) -> RunFront | None:
    """The run's front; None when its objective is no Pareto front."""
    objective = str((scope.run.config or {}).get("objective") or "")
    matched = PARETO.fullmatch(objective)
    if matched is None:
        return None
    names = tuple(matched.group(1).split(","))
    totals = {}
    for candidate in scope.candidates:
        point = _totals(scope, candidate, len(names))
        if point is not None:
            totals[candidate] = point
    return RunFront(objective, names, [FrontRow(c, totals[c]) for c in _front(totals)])


def _totals(scope: Scope, candidate: Candidate, width: int) -> tuple[float, ...] | None:
    done = {e.problem: e for e in scope.evaluations_of(candidate)}
    axes = []
    for problem in scope.run.problems:
        evaluation = done.get(problem)
        if evaluation is None or evaluation.verdict != "complete":
            return None
        values = (evaluation.details or {}).get("pareto")
        if not (isinstance(values, list) and len(values) == width
                and all(type(v) in (int, float) and math.isfinite(v) for v in values)):
            return None
        axes.append(values)
    return tuple(_number(-sum(column)) for column in zip(*axes, strict=True))


def _front(totals: dict[Candidate, tuple]) -> list[Candidate]:
    """The candidates no other beats (as low on every axis, lower on one), the first of equal points only.
    By seeds, then the rest: whatever beats a point comes before it, so each is checked against the front."""
    front: list[tuple] = []
    chosen = []
    for candidate in sorted(totals, key=lambda c: (totals[c], c.pk)):
        point = totals[candidate]
        if any(all(f <= p for f, p in zip(other, point, strict=True)) for other in front):
            continue  # beaten, or equal to a point already on the front
        front.append(point)
        chosen.append(candidate)
    return chosen


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value
