"""A run's Pareto front: its candidates complete on every problem of the run, by seeds in all against a cost
in all, and which of them no other candidate beats (as few or fewer of each, fewer of one).

Under a Pareto objective (evolution.objective, `pareto(seeds,multiply_adds)`) the front is the run's result
and its axes are the objective's: seeds, its second term and, where it names one, a third (in the table
and each point's tooltip; the plot draws seeds against the second, and a point on the front in three terms
may look dominated in two). Otherwise the cost is the elimination's multiply-adds (solver.reduction
.WORK_FIELDS, counted, not timed, so the same on every machine) where every such candidate recorded them,
else the equations (of those that recorded them: an imported or hand-made record may have neither).

Read in one query of up to five columns (a run has up to ~10,000 candidates); candidates with the same
numbers are one point, which links to the first of them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from evolution import objective as objectives
from evolution.database.island import front_of
from provenance.models import Evaluation

COSTS = {"multiply_adds": "multiply-adds", "equations": "equations"}  # in order of preference


@dataclass(frozen=True)
class Point:
    seeds: int
    cost: float
    candidate: int  # the first candidate with these numbers
    count: int  # candidates with these numbers
    front: bool  # on the Pareto front: no other point has as few or fewer of each and fewer of one
    third: float | None = None  # a three-term Pareto objective's third term


@dataclass(frozen=True)
class Front:
    cost: str  # the second axis: a COSTS key, or a Pareto objective's second term
    points: list[Point]  # by seeds, then cost
    third: str = ""  # a three-term Pareto objective's third term
    objective: bool = False  # the run's objective: the front is its result

    @property
    def cost_label(self) -> str:
        return label(self.cost)

    @property
    def third_label(self) -> str:
        return label(self.third) if self.third else ""

    @property
    def front(self) -> list[Point]:
        return [p for p in self.points if p.front]

    @property
    def candidates(self) -> int:
        return sum(p.count for p in self.points)


def label(name: str) -> str:
    return COSTS.get(name) or name.replace("_", " ")


def run_front(run) -> Front | None:
    """The run's front; None when no candidate is complete on every problem of the run yet."""
    scored_by = objectives.of_run(run)
    if scored_by.pareto:
        names = scored_by.names[1:]
        totals = _totals(run, names)
        counted = {c: t for c, t in totals.items() if None not in t}
        return Front(names[0], pareto(counted), names[1] if len(names) > 1 else "", True) if counted else None
    totals = _totals(run, ("equations", "multiply_adds"))
    if totals and all(t[2] is not None for t in totals.values()):
        return Front("multiply_adds", pareto({c: (t[0], t[2]) for c, t in totals.items()}))
    counted = {c: (t[0], t[1]) for c, t in totals.items() if t[1] is not None}  # not a record without them
    return Front("equations", pareto(counted)) if counted else None


def _totals(run, names: tuple[str, ...]) -> dict[int, tuple]:
    """Candidate → (seeds, *names) over all the run's problems, of those complete on every one and with
    their seeds recorded; a total is None where some problem did not record that number."""
    wanted = len(run.problems)
    columns = ["equations" if name == "equations" else f"details__work__{name}" for name in names]
    rows = (Evaluation.objects.filter(run=run, problem__in=run.problems, verdict="complete")
            .values_list("candidate_id", "seeds", *columns))
    totals: dict[int, list] = {}  # candidate → [problems, seeds, *names]
    for candidate, *values in rows.iterator(chunk_size=5000):
        total = totals.setdefault(candidate, [0] * (len(values) + 1))
        total[0] += 1
        for i, value in enumerate(values, start=1):
            # a hand-made or imported record may hold anything
            number = value if type(value) in (int, float) and math.isfinite(value) else None
            total[i] = None if number is None or total[i] is None else total[i] + number
    return {c: tuple(t[1:]) for c, t in totals.items() if t[0] == wanted and t[1] is not None}


def pareto(numbers: dict[int, tuple]) -> list[Point]:
    """Points of candidate → (seeds, cost[, third]), one per distinct tuple, each marked whether it is on the
    front, by seeds, then cost."""
    first: dict[tuple, int] = {}
    count: dict[tuple, int] = {}
    for candidate, numbers_of in numbers.items():
        first[numbers_of] = min(candidate, first.get(numbers_of, candidate))
        count[numbers_of] = count.get(numbers_of, 0) + 1
    distinct = sorted(first)
    on_front = set(front_of(-np.array(distinct, dtype=float)).tolist()) if distinct else set()
    return [Point(values[0], values[1], first[values], count[values], i in on_front,
                  values[2] if len(values) > 2 else None)
            for i, values in enumerate(distinct)]
