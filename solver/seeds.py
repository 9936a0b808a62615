"""The candidate seed pool of a problem and the `Seed` view that rule code sees.

The pool: every integral in a non-zero subsector of the top sector with r ≤ r_top + extra_r
and s ≤ s_top + extra_s (defaults 2 and 1), numerators on any propagator that is not a line of the seed's
sector. r_top, s_top, t_top are the maxima over the problem's targets.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from functools import cached_property

import numpy as np

from solver.family import Family
from solver.integral import features
from solver.sectors import zero_sectors
from solver.seed_features import NAMES as PLACED
from solver.seed_features import seed_features

EXTRA_R = 2
EXTRA_S = 1


@dataclass(frozen=True, slots=True)
class Seed:
    t: int
    r: int
    s: int
    d: int
    sector: int
    indices: tuple[int, ...]
    t_top: int
    r_top: int
    s_top: int
    # Where its dots and numerators sit relative to the targets' top sector (solver.seed_features).
    d_in: int = 0
    d_out: int = 0
    d_max: int = 0
    s_isp: int = 0
    s_pinched: int = 0
    s_max: int = 0
    pinched: int = 0
    r_sec: int = 0


@dataclass(frozen=True)
class Tops:
    t_top: int
    r_top: int
    s_top: int

    @classmethod
    def of(cls, targets) -> Tops:
        f = features(np.asarray(targets, dtype=np.int64).reshape(len(targets), -1))
        return cls(int(f["t"].max()), int(f["r"].max()), int(f["s"].max()))


class SeedPool:
    """All candidate seeds of a problem as one (n, N) array plus feature arrays; Seed views on demand."""

    def __init__(self, family: Family, targets, extra_r: int = EXTRA_R, extra_s: int = EXTRA_S):
        self.targets = np.asarray(targets, dtype=np.int64).reshape(len(targets), -1)
        self.tops = Tops.of(targets)
        self.max_r = self.tops.r_top + extra_r
        self.max_s = self.tops.s_top + extra_s
        self.indices = enumerate_integrals(family, self.max_r, self.max_s)
        self.features = features(self.indices)

    def __len__(self) -> int:
        return len(self.indices)

    @cached_property
    def seeds(self) -> list[Seed]:
        f, tops = self.features, self.tops
        placed = seed_features(self.indices, self.targets)
        columns = zip(*(f[name].tolist() for name in ("t", "r", "s", "d", "sector")), strict=True)
        where = zip(*(placed[name].tolist() for name in PLACED), strict=True)
        return [
            Seed(t, r, s, d, sector, tuple(idx), tops.t_top, tops.r_top, tops.s_top, *at)
            for (t, r, s, d, sector), idx, at in zip(columns, self.indices.tolist(), where, strict=True)
        ]


def enumerate_integrals(family: Family, max_r: int, max_s: int, max_d: int | None = None) -> np.ndarray:
    """Integrals of every non-zero subsector of the top sector with r ≤ max_r, s ≤ max_s (and d ≤ max_d)."""
    n = family.n
    blocks = []
    for mask, zero in sorted(zero_sectors(family).items()):
        if zero:
            continue
        lines = [j for j in range(n) if mask >> j & 1]
        others = [j for j in range(n) if not mask >> j & 1]
        dots_left = max_r - len(lines) if max_d is None else min(max_r - len(lines), max_d)
        if dots_left < 0:
            continue
        positive = _compositions(len(lines), dots_left) + 1
        negative = -_compositions(len(others), max_s)
        block = np.zeros((len(positive) * len(negative), n), dtype=np.int64)
        block[:, lines] = np.repeat(positive, len(negative), axis=0)
        block[:, others] = np.tile(negative, (len(positive), 1))
        blocks.append(block)
    return np.concatenate(blocks) if blocks else np.zeros((0, n), dtype=np.int64)


def _compositions(parts: int, total: int) -> np.ndarray:
    """All vectors of `parts` non-negative ints with sum ≤ total, as rows."""
    rows = [c for c in itertools.product(range(total + 1), repeat=parts) if sum(c) <= total]
    return np.array(rows, dtype=np.int64).reshape(len(rows), parts)
