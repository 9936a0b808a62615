"""Scores of a seeding rule.

Per problem: −seeds when the targets reduce to masters only. Otherwise a penalty strictly below every
complete score: −(pool size + 1) − unreduced, so among failures fewer unreduced integrals still rank higher.
A rule that selects more than `cap` seeds is stopped before any equation is built (a runaway rule must not
stall a worker) and gets −2·(pool size + 1), below every reduction that ran.
A candidate's signature is the tuple of its per-problem scores; its headline score is their sum.
ProblemScore.result (a reduction.Result) also says what the reduction cost besides seeds and equations:
pivots, pivot_steps, multiply_adds, fill_in, pivot_row_entries, instantiation_seconds, elimination_seconds
(reduction.WORK_FIELDS; ProblemScore.work() gives them as a dict, empty for a capped rule).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np

from solver.family import Family, Problem
from solver.masters import family_masters
from solver.point import random_point
from solver.reduction import Result, check_points, record_checks, reduce_seeds
from solver.rules import Rule, no_dots, select
from solver.seeds import SeedPool

CAP_FACTOR = 4  # default cap: this many times the no-dots Laporta seed count of the problem
CAP_FLOOR = 1000


@dataclass
class ProblemScore:
    problem: str
    score: int
    selected: int
    capped: bool
    result: Result | None

    def work(self) -> dict:
        """The reduction's cost (reduction.WORK_FIELDS), {} when the rule was capped before any equation."""
        return {} if self.result is None else self.result.work()

    def to_json(self) -> dict:
        out = {"problem": self.problem, "score": self.score, "selected": self.selected, "capped": self.capped}
        if self.result is not None:
            out["result"] = self.result.to_json()
        return out


def default_cap(pool: SeedPool) -> int:
    return max(CAP_FLOOR, CAP_FACTOR * int(select(pool, no_dots).sum()))


def score_result(result: Result, pool_size: int) -> int:
    return -result.seeds if result.complete else -(pool_size + 1) - len(result.unreduced)


def capped_score(pool_size: int) -> int:
    return -2 * (pool_size + 1)


_POOLS: dict[tuple[str, tuple], SeedPool] = {}


def pool_of(family: Family, problem: Problem) -> SeedPool:
    """Pools are reused across candidates: building the Seed views is the costly part."""
    key = (family.source_hash, problem.targets)
    if key not in _POOLS:
        _POOLS[key] = SeedPool(family, problem.targets)
    return _POOLS[key]


def score_problem(
    family: Family,
    problem: Problem,
    rule: Rule | np.ndarray,
    cap: int | None = None,
    li: bool = True,
    point_seed: int = 0,
    eliminate: Callable | None = None,
    check: int = 1,
) -> ProblemScore:
    """`check` ≥ 2: a complete reduction is repeated at check − 1 other primes and points, each noted in
    result.checks (one point closing says the rule closes generically only with high probability)."""
    pool = pool_of(family, problem)
    selection = select(pool, rule)
    selected = int(selection.sum())
    limit = default_cap(pool) if cap is None else cap
    if selected > limit:
        return ProblemScore(problem.name, capped_score(len(pool)), selected, True, None)
    result = reduce_seeds(
        family,
        problem.targets,
        pool.indices[selection],
        family_masters(family),
        random_point(family, point_seed),
        li,
        eliminate,
    )
    result.problem = problem.name
    if result.complete and check > 1:
        seeds, masters = pool.indices[selection], family_masters(family)
        others = [reduce_seeds(family, problem.targets, seeds, masters, point, li, eliminate)
                  for point in check_points(family, check, point_seed)[1:]]
        record_checks(result, others)
    return ProblemScore(problem.name, score_result(result, len(pool)), selected, False, result)


def signature(
    family: Family, rule: Rule | np.ndarray, problems: Iterable[Problem] | None = None, **kwargs
) -> tuple[int, ...]:
    """Per-problem scores over the family's problems (all by default); the headline score is sum()."""
    problems = family.problems if problems is None else problems
    return tuple(score_problem(family, p, rule, **kwargs).score for p in problems)
