"""Reduce a problem's targets with a set of seeds, and judge the result against the family's masters.

`reduce_seeds` is the core (seeds → system → elimination → verdict); `reduce_problem` adds the seed pool,
the rule and the optional re-check at other primes and points.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field

import numpy as np

from solver.family import Family
from solver.identities import templates
from solver.point import PRIMES, Point, random_point
from solver.rules import Rule, select
from solver.seeds import SeedPool
from solver.system import build_system

Integral = tuple[int, ...]


def _default_eliminate():
    from solver import elimination

    # Loading the compiled kernel from numba's cache takes a few tenths of a second the first time;
    # do it outside the timed region so that `seconds` measures the reduction itself.
    if not getattr(elimination, "_warmed", False):
        from solver import system

        elimination.warm_up()
        system.warm_up()
        elimination._warmed = True
    return elimination.eliminate


# The cost a reducer pays besides seeds and equations, as fields of Result (names the evolution side records).
WORK_FIELDS = (
    "pivots",
    "pivot_steps",
    "multiply_adds",
    "fill_in",
    "pivot_row_entries",
    "instantiation_seconds",
    "elimination_seconds",
)


@dataclass
class Result:
    """A reduction's verdict and what it cost.

    Cost besides seeds and equations (WORK_FIELDS; None from an elimination kernel that does not count):
    pivots (pivot rows found, one per independent equation), pivot_steps (a pivot row subtracted from a row:
    one per integral eliminated, forward and back-substitution), multiply_adds (entries those steps
    updated), fill_in (nonzeros created: entries a row came to hold that it did not hold when it was written
    down), pivot_row_entries (entries stored in the pivot rows), instantiation_seconds and
    elimination_seconds (wall time of writing the numeric system and of eliminating it; `seconds` is the
    whole reduction). Counts depend on the system, not the clock, but may differ slightly between primes.
    """

    family: str
    targets: list[Integral]
    complete: bool
    masters: list[Integral]  # the family masters the targets reduce to
    unreduced: list[Integral]  # non-master integrals left in the targets' reductions
    seeds: int
    equations: int
    independent_equations: int
    seconds: float
    prime: int
    point: dict
    li: bool = True
    problem: str | None = None
    # target → {integral: coefficient mod prime}: I_target = Σ coefficient · I_integral
    coefficients: dict[Integral, dict[Integral, int]] = field(default_factory=dict, repr=False)
    checks: list[dict] = field(default_factory=list)
    pivots: int | None = None
    pivot_steps: int | None = None
    multiply_adds: int | None = None
    fill_in: int | None = None
    pivot_row_entries: int | None = None
    instantiation_seconds: float | None = None
    elimination_seconds: float | None = None

    def work(self) -> dict:
        """The cost fields (WORK_FIELDS) as a dict, seconds rounded to microseconds."""
        return {
            name: round(v, 6) if isinstance(v, float) else v
            for name in WORK_FIELDS
            for v in [getattr(self, name)]
        }

    def verdict(self) -> tuple:
        """What must agree across primes and points (coefficients and timings may not)."""
        return (self.complete, tuple(self.masters), tuple(self.unreduced), self.independent_equations)

    def to_json(self) -> dict:
        out = asdict(self)
        out["targets"] = [list(t) for t in self.targets]
        out["masters"] = [list(m) for m in self.masters]
        out["unreduced"] = [list(u) for u in self.unreduced]
        out["coefficients"] = {
            _key(t): {_key(i): c for i, c in terms.items()} for t, terms in self.coefficients.items()
        }
        out["seconds"] = round(self.seconds, 6)
        out["masters_counted"] = "without symmetries"  # `masters` are among the family's, counted so
        out.update(self.work())
        return out


def _key(integral: Integral) -> str:
    return ",".join(str(a) for a in integral)


def reduce_seeds(
    family: Family,
    targets: Iterable[Integral],
    seeds: np.ndarray,
    masters: Iterable[Integral],
    point: Point,
    li: bool = True,
    eliminate: Callable | None = None,
) -> Result:
    """Reduce the targets with the identities of exactly these seeds, at this point."""
    eliminate = eliminate or _default_eliminate()
    targets = [tuple(int(a) for a in t) for t in targets]
    master_set = {tuple(m) for m in masters}
    templates(family)  # the one-off symbolic derivation is not part of a reduction's time
    start = time.perf_counter()
    system = build_system(family, point, seeds, np.array(targets, dtype=np.int64), li=li)
    target_cols = system.columns(np.array(targets, dtype=np.int64))
    built = time.perf_counter()
    elim = eliminate(system.n_cols, system.indptr, system.indices, system.data, point.prime, target_cols)
    eliminated = time.perf_counter()
    coefficients: dict[Integral, dict[Integral, int]] = {}
    for target, col in zip(targets, target_cols.tolist(), strict=True):
        reduced = elim.reduced.get(col)
        if reduced is None:  # not expressible through simpler integrals: it stands for itself
            coefficients[target] = {target: 1}
        else:
            cols, coeffs = reduced
            rows = system.integrals[cols].tolist()
            coefficients[target] = {tuple(r): int(c) for r, c in zip(rows, coeffs.tolist(), strict=True)}
    seconds = time.perf_counter() - start
    reached = {i for terms in coefficients.values() for i in terms}
    work = elim.work
    return Result(
        family=family.name,
        targets=targets,
        complete=reached <= master_set,
        masters=sorted(reached & master_set, reverse=True),
        unreduced=sorted(reached - master_set, reverse=True),
        seeds=len(seeds),
        equations=system.n_rows,
        independent_equations=elim.rank,
        seconds=seconds,
        prime=point.prime,
        point=point.to_json(),
        li=li,
        coefficients=coefficients,
        pivots=elim.rank,
        pivot_steps=None if work is None else work.pivot_steps,
        multiply_adds=None if work is None else work.multiply_adds,
        fill_in=None if work is None else work.fill_in,
        pivot_row_entries=None if work is None else work.pivot_row_entries,
        instantiation_seconds=built - start,
        elimination_seconds=eliminated - built,
    )


def check_points(family: Family, count: int, first_seed: int = 0) -> list[Point]:
    """`count` different (prime, point) pairs: the first is the default, the others change both."""
    return [random_point(family, first_seed + i, PRIMES[i % len(PRIMES)]) for i in range(count)]


def reduce_problem(
    family: Family,
    targets: Iterable[Integral],
    rule: Rule | np.ndarray,
    masters: Iterable[Integral],
    li: bool = True,
    check: int = 1,
    point_seed: int = 0,
    pool: SeedPool | None = None,
    problem: str | None = None,
    eliminate: Callable | None = None,
) -> Result:
    """Select seeds from the problem's pool with the rule and reduce; with check ≥ 2 repeat at other
    primes and points and record whether the verdict agrees (a disagreement is also printed to stderr)."""
    targets = [tuple(int(a) for a in t) for t in targets]
    pool = pool or SeedPool(family, targets)
    seeds = pool.indices[select(pool, rule)]
    masters = list(masters)
    runs = [
        reduce_seeds(family, targets, seeds, masters, point, li, eliminate)
        for point in check_points(family, max(1, check), point_seed)
    ]
    result = runs[0]
    result.problem = problem
    record_checks(result, runs[1:])
    return result


def record_checks(result: Result, others: Iterable[Result]) -> None:
    """Note on `result` whether each reduction at another prime and point reached the same verdict (a
    disagreement is also printed to stderr)."""
    for other in others:
        agree = other.verdict() == result.verdict()
        result.checks.append(
            {"prime": other.prime, "point": other.point, "agree": agree, "complete": other.complete}
        )
        if not agree:
            print(
                f"WARNING: verdict differs at prime {other.prime}: complete={other.complete} "
                f"unreduced={len(other.unreduced)} vs complete={result.complete} "
                f"unreduced={len(result.unreduced)} at prime {result.prime}",
                file=sys.stderr,
            )
