"""What a worker needs to score rules on a run's problems, built once per process and reused."""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from evolution.sandbox import SeedTable
from solver.family import Family, Problem, load_family
from solver.integral import features as integral_features
from solver.rules import laporta, select
from solver.score import default_cap, pool_of
from solver.seed_features import NAMES as PLACED
from solver.seed_features import seed_features
from solver.seeds import SeedPool, Tops

# What `seed.<name>` reads in a rule, besides `indices` and the context (t_top, r_top, s_top): how much a
# seed carries (t, r, s, d), its sector, and where its dots and numerators sit relative to the targets
# (solver.seed_features defines each).
FEATURES = ("t", "r", "s", "d", "sector", *PLACED)


@dataclass(frozen=True)
class ProblemContext:
    problem: Problem
    pool: SeedPool
    table: SeedTable  # the pool as the sandbox sees it
    cap: int  # a rule selecting more seeds than this is not reduced (score penalty instead)


@dataclass(frozen=True)
class ProblemSet:
    family: Family
    problems: tuple[ProblemContext, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.problem.name for p in self.problems)


@functools.cache
def problem_set(family: str, problems: tuple[str, ...], cap: str = "laporta") -> ProblemSet:
    """`cap`: "laporta" (no rule may select more than the Laporta rule at r_top, s_top, the usual start of
    an evolution, nor less than the solver's default cap), "default", or a number as a string."""
    loaded = load_family(family)
    return ProblemSet(loaded, tuple(_context(loaded, loaded.problem(name), cap) for name in problems))


def _context(family: Family, problem: Problem, cap: str) -> ProblemContext:
    pool = pool_of(family, problem)
    table = seed_table(pool.indices, pool.targets, pool.features)
    return ProblemContext(problem, pool, table, _cap(pool, cap))


def seed_table(indices: np.ndarray, targets: np.ndarray, features: dict | None = None) -> SeedTable:
    """The rows `indices` as the sandbox sees them for `targets`: their features, and the targets' tops as
    the context. `features`: solver.integral.features of the rows, when already computed."""
    columns = {**(integral_features(indices) if features is None else features),
               **seed_features(indices, targets)}
    tops = Tops.of(targets)
    return SeedTable(np.stack([columns[name] for name in FEATURES], axis=1), FEATURES,
                     {"t_top": tops.t_top, "r_top": tops.r_top, "s_top": tops.s_top}, indices=indices)


def _cap(pool: SeedPool, cap: str) -> int:
    if cap == "default":
        return default_cap(pool)
    if cap == "laporta":
        return max(default_cap(pool), int(select(pool, laporta(pool.tops.r_top, pool.tops.s_top)).sum()))
    if not cap.isdigit() or int(cap) < 1:
        raise ValueError(f"cap must be 'laporta', 'default' or a positive number of seeds, not {cap!r}")
    return int(cap)
