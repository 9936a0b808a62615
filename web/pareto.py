"""A run's Pareto front: its candidates complete on every problem of the run, by seeds in all against a cost
in all, and which of them no other candidate beats on both (fewer or as many seeds and less cost, or the
reverse). The cost is the elimination's multiply-adds (solver.reduction.WORK_FIELDS, counted, not timed,
so the same on every machine) where every such candidate recorded them, else the equations (of those that
recorded them: an imported or hand-made record may have neither).

Read in one query of four columns (a run has up to ~10,000 candidates); candidates with the same numbers are
one point, which links to the first of them.
"""

from __future__ import annotations

from dataclasses import dataclass

from provenance.models import Evaluation

COSTS = {"multiply_adds": "multiply-adds", "equations": "equations"}  # in order of preference


@dataclass(frozen=True)
class Point:
    seeds: int
    cost: int
    candidate: int  # the first candidate with these numbers
    count: int  # candidates with these numbers
    front: bool  # on the Pareto front: no other point has fewer-or-equal seeds and cost, one of them fewer


@dataclass(frozen=True)
class Front:
    cost: str  # a COSTS key
    points: list[Point]  # by seeds, then cost

    @property
    def cost_label(self) -> str:
        return COSTS[self.cost]

    @property
    def front(self) -> list[Point]:
        return [p for p in self.points if p.front]

    @property
    def candidates(self) -> int:
        return sum(p.count for p in self.points)


def run_front(run) -> Front | None:
    """The run's front; None when no candidate is complete on every problem of the run yet."""
    wanted = len(run.problems)
    rows = (Evaluation.objects.filter(run=run, problem__in=run.problems, verdict="complete")
            .values_list("candidate_id", "seeds", "equations", "details__work__multiply_adds"))
    totals: dict[int, list] = {}  # candidate → [problems, seeds, equations, multiply-adds]
    for candidate, seeds, equations, multiply_adds in rows.iterator(chunk_size=5000):
        total = totals.setdefault(candidate, [0, 0, 0, 0])
        total[0] += 1
        for i, value in ((1, seeds), (2, equations), (3, multiply_adds)):
            total[i] = None if value is None or total[i] is None else total[i] + value
    complete = {c: t for c, t in totals.items() if t[0] == wanted and t[1] is not None}
    if complete and all(t[3] is not None for t in complete.values()):
        return Front("multiply_adds", pareto({c: (t[1], t[3]) for c, t in complete.items()}))
    counted = {c: (t[1], t[2]) for c, t in complete.items() if t[2] is not None}  # not a record without them
    return Front("equations", pareto(counted)) if counted else None


def pareto(numbers: dict[int, tuple[int, int]]) -> list[Point]:
    """Points of candidate → (seeds, cost), one per distinct pair, each marked whether it is on the front."""
    first: dict[tuple[int, int], int] = {}
    count: dict[tuple[int, int], int] = {}
    for candidate, pair in numbers.items():
        first[pair] = min(candidate, first.get(pair, candidate))
        count[pair] = count.get(pair, 0) + 1
    points, lowest = [], None
    for seeds, cost in sorted(first):  # by seeds, then cost: a point is on the front if it costs less than
        on_front = lowest is None or cost < lowest  # every point with fewer seeds (or as many, listed first)
        lowest = cost if on_front else lowest
        points.append(Point(seeds, cost, first[seeds, cost], count[seeds, cost], on_front))
    return points
