"""A run's front under a Pareto objective (evolution.objective): the points, one a rule, that no rule of the
run so far dominates (is as good on every axis and better on one; higher is better on each).

The controller keeps it as it counts results and writes it to the run's state, where a worker reads it to
decide whether a rule could be one of the run's results (evolution.second_check): a rule the front does
not dominate gets its second check and its held-out problems. The stored front is read as hostile (an
archive may carry any JSON there): what is not a list of points of the objective's width reads as none,
which only makes more repeats.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

Point = tuple[float, ...]


def dominates(a: Point, b: Point) -> bool:
    return all(x >= y for x, y in zip(a, b, strict=True)) and a != b


@dataclass
class Front:
    points: list[Point] = field(default_factory=list)

    def admits(self, point: Point) -> bool:
        """Whether no point of the front dominates `point` (an equal point is admitted)."""
        return not any(dominates(p, point) for p in self.points)

    def add(self, point: Point) -> bool:
        """Put `point` on the front, dropping what it dominates; False (and nothing changed) when the
        front dominates it or already holds it."""
        if not self.admits(point) or point in self.points:
            return False
        self.points = [p for p in self.points if not dominates(point, p)] + [point]
        return True

    def stored(self) -> list[list[float]]:
        return [list(p) for p in sorted(self.points, reverse=True)]

    @classmethod
    def of_stored(cls, value, width: int) -> Front:
        """The front as a run's state stores it; empty when the value is not one of `width` axes."""
        if not isinstance(value, list) or len(value) > 100_000:
            return cls()
        points = []
        for p in value:
            if not (isinstance(p, list) and len(p) == width and all(_finite(x) for x in p)):
                return cls()
            points.append(tuple(float(x) for x in p))
        return cls(points)


def _finite(x) -> bool:
    return type(x) in (int, float) and math.isfinite(x)
