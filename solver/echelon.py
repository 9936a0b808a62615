"""The result type shared by the elimination kernels (:mod:`solver.naive`, :mod:`solver.elimination`).

Kept free of numba so that importing it is cheap.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Work:
    """What an elimination cost, counted by the kernel itself (forward pass and back-substitution together).

    - ``pivot_steps``: times a pivot row was subtracted from a row (one per integral eliminated);
    - ``multiply_adds``: entries updated by those steps (the arithmetic a reducer pays);
    - ``fill_in``: nonzeros created, i.e. updates that hit an entry of the row that was zero;
    - ``pivot_row_entries``: entries stored in the pivot rows (their memory).

    The counts depend on the system and the kernel, not on the clock; they may differ by a little between
    primes and points (an accidental zero). Not part of ``same_as``.
    """

    pivot_steps: int
    multiply_adds: int
    fill_in: int
    pivot_row_entries: int

    def to_json(self) -> dict:
        return {
            "pivot_steps": self.pivot_steps,
            "multiply_adds": self.multiply_adds,
            "fill_in": self.fill_in,
            "pivot_row_entries": self.pivot_row_entries,
        }


@dataclass
class Elimination:
    """Outcome of eliminating a sparse linear system over Z_p in Laporta order.

    Columns are integrals in Laporta order: column 0 is the most complex, a larger index is simpler.

    - ``rank``: number of independent equations.
    - ``pivots``: ``bool[n_cols]``; True where the column is the leading (smallest-index) term of an
      independent equation. The set depends only on the row space and the column order.
    - ``reduced``: per target column, ``(cols, coeffs)`` with ``I_target = sum(coeffs * I_cols)``, every col a
      non-pivot column (cols ascending, coeffs in ``[0, p)``, zero coefficients dropped); ``None`` when the
      target is not a pivot column (the system cannot express it through simpler integrals).
    - ``work``: what the elimination cost (:class:`Work`); None from a kernel that does not count.
    """

    rank: int
    pivots: np.ndarray
    reduced: dict[int, tuple[np.ndarray, np.ndarray] | None] = field(default_factory=dict)
    work: Work | None = field(default=None, compare=False)

    def same_as(self, other: Elimination) -> bool:
        """True when both results agree exactly (rank, pivot set, every target's reduction)."""
        if self.rank != other.rank or not np.array_equal(self.pivots, other.pivots):
            return False
        if set(self.reduced) != set(other.reduced):
            return False
        for t, mine in self.reduced.items():
            theirs = other.reduced[t]
            if (mine is None) != (theirs is None):
                return False
            if mine is not None and not (
                np.array_equal(mine[0], theirs[0]) and np.array_equal(mine[1], theirs[1])
            ):
                return False
        return True


def check_system(n_cols: int, indptr, indices, data, prime: int, targets):
    """Validate and normalise the CSR input shared by both kernels; returns int64 arrays."""
    indptr = np.asarray(indptr, dtype=np.int64)
    indices = np.asarray(indices, dtype=np.int64)
    data = np.asarray(data, dtype=np.int64)
    targets = np.asarray(targets, dtype=np.int64).reshape(-1)
    if n_cols < 0:
        raise ValueError("n_cols must be non-negative")
    if not 2 <= prime < 2**31:
        raise ValueError(f"prime must be in [2, 2**31), got {prime}")
    if indptr.ndim != 1 or len(indptr) < 1 or indptr[0] != 0 or np.any(np.diff(indptr) < 0):
        raise ValueError("indptr must start at 0 and be non-decreasing")
    if indptr[-1] != len(indices) or len(indices) != len(data):
        raise ValueError("indptr[-1], len(indices) and len(data) must agree")
    if len(indices) and (indices.min() < 0 or indices.max() >= n_cols):
        raise ValueError("column index out of range")
    if len(data) and (data.min() < 0 or data.max() >= prime):
        raise ValueError("data must lie in [0, prime)")
    if len(targets) and (targets.min() < 0 or targets.max() >= n_cols):
        raise ValueError("target column out of range")
    return indptr, indices, data, targets


def random_system(
    rng: np.random.Generator, n_cols: int, n_base: int, n_redundant: int, terms: int, prime: int
):
    """A random sparse system with known structure, for tests and benchmarks of the kernels.

    ``n_base`` random rows (each ~``terms`` entries) plus ``n_redundant`` rows that are random combinations of
    two or three of them (so they must reduce to zero), shuffled. Returns ``(indptr, indices, data)``.
    """
    rows: list[dict[int, int]] = []
    for _ in range(n_base):
        if n_cols == 0:
            break
        k = int(rng.integers(1, max(2, min(terms, n_cols)) + 1))
        cols = rng.choice(n_cols, size=min(k, n_cols), replace=False)
        rows.append({int(c): int(rng.integers(1, prime)) for c in cols})
    for _ in range(n_redundant):
        if not rows:
            break
        picks = rng.choice(len(rows), size=min(len(rows), int(rng.integers(2, 4))), replace=False)
        combo: dict[int, int] = {}
        for r in picks:
            f = int(rng.integers(1, prime))
            for c, v in rows[int(r)].items():
                combo[c] = (combo.get(c, 0) + f * v) % prime
        combo = {c: v for c, v in combo.items() if v}
        rows.append(combo)
    rng.shuffle(rows)
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indices, data = [], []
    for i, row in enumerate(rows):
        items = list(row.items())
        rng.shuffle(items)
        indices.extend(c for c, _ in items)
        data.extend(v for _, v in items)
        indptr[i + 1] = len(indices)
    return indptr, np.array(indices, dtype=np.int64), np.array(data, dtype=np.int64)
