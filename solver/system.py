"""Numeric instantiation: identity templates × seeds → a sparse CSR system over Z_p in Laporta order.

The templates are first evaluated at the point (one modular number per coefficient of each linear form),
then every seed is instantiated at once with numpy: coefficient = form · (1, d, a_1..a_N) mod p, shifted
integral = seed + shift. Integrals of zero sectors and vanishing coefficients are dropped, then equations
that became empty. Integrals are numbered by packing index vectors into int64 keys and np.unique.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from solver.family import Family
from solver.identities import templates
from solver.integral import IntegralKeys, laporta_order
from solver.point import Point, modular
from solver.sectors import zero_table

CHUNK = 4096  # seeds instantiated per numpy pass: bounds the (seeds × terms × N) temporaries


@dataclass(frozen=True)
class NumericIdentities:
    """All template terms flattened: term k belongs to identity identity[k], is I(seed + shifts[k]) with
    coefficient forms[k] · (1, d, a) mod p."""

    prime: int
    identity: np.ndarray  # int64[K]
    shifts: np.ndarray  # int64[K, N]
    base: np.ndarray  # int64[K]: constant + d-coefficient · d, mod p
    linear: np.ndarray  # int64[N, K]: coefficient of a_j, mod p
    kinds: tuple[str, ...]  # per identity: "ibp" or "li"

    @cached_property
    def linear_float(self) -> np.ndarray:
        return self.linear.astype(np.float64)

    def restricted(self, li: bool) -> NumericIdentities:
        if li:
            return self
        keep_ids = [i for i, kind in enumerate(self.kinds) if kind == "ibp"]
        renumber = {old: new for new, old in enumerate(keep_ids)}
        keep = np.isin(self.identity, keep_ids)
        identity = np.array([renumber[i] for i in self.identity[keep].tolist()], dtype=np.int64)
        kinds = tuple(self.kinds[i] for i in keep_ids)
        return NumericIdentities(
            self.prime, identity, self.shifts[keep], self.base[keep], self.linear[:, keep], kinds
        )


_NUMERIC: dict[tuple[str, Point], NumericIdentities] = {}


def numeric_identities(family: Family, point: Point) -> NumericIdentities:
    key = (family.source_hash, point)
    if key not in _NUMERIC:
        _NUMERIC[key] = _evaluate(family, point)
    return _NUMERIC[key]


def _evaluate(family: Family, point: Point) -> NumericIdentities:
    p, n = point.prime, family.n
    substitution = point.substitution()
    identity, shifts, base, linear, kinds = [], [], [], [], []
    for i, template in enumerate(templates(family)):
        kinds.append(template.kind)
        for shift, form in template.terms:
            values = [modular(x, point, substitution) if x != 0 else 0 for x in form]
            identity.append(i)
            shifts.append(shift)
            base.append((values[0] + values[1] * point.d) % p)
            linear.append(values[2:])
    return NumericIdentities(
        prime=p,
        identity=np.array(identity, dtype=np.int64),
        shifts=np.array(shifts, dtype=np.int64).reshape(-1, n),
        base=np.array(base, dtype=np.int64),
        linear=np.array(linear, dtype=np.int64).reshape(-1, n).T.copy(),
        kinds=tuple(kinds),
    )


@dataclass
class System:
    """Row i: Σ data[k] · I(integrals[indices[k]]) = 0 for k in indptr[i]:indptr[i+1]."""

    integrals: np.ndarray  # int64[n_cols, N], Laporta order (row 0 most complex)
    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    prime: int
    generated: int  # equations written before empty ones were dropped
    row_kind: np.ndarray  # per row: "ibp" or "li"

    @property
    def n_cols(self) -> int:
        return len(self.integrals)

    @property
    def n_rows(self) -> int:
        return len(self.indptr) - 1

    def columns(self, integrals: np.ndarray) -> np.ndarray:
        """Column of each given integral (-1 where it is not in the system)."""
        keys = IntegralKeys(self.integrals.shape[1])
        wanted = np.asarray(integrals, dtype=np.int64).reshape(-1, self.integrals.shape[1])
        where = {k: c for c, k in enumerate(keys.pack(self.integrals).tolist())}
        return np.array([where.get(k, -1) for k in keys.pack(wanted).tolist()], dtype=np.int64)


def build_system(
    family: Family, point: Point, seeds: np.ndarray, extra_columns: np.ndarray | None = None, li: bool = True
) -> System:
    """Equations of every seed (rows seed-major, identities in template order); `extra_columns` (the
    targets) are numbered even if no equation mentions them."""
    numeric = numeric_identities(family, point).restricted(li)
    zero = zero_table(family)
    n = family.n
    seeds = np.asarray(seeds, dtype=np.int64).reshape(-1, n)
    if len(seeds) and np.abs(seeds).max() > 1 << 16:  # keeps the float64 products below exact (2**53)
        raise ValueError("seed indices beyond ±65536")
    rows, ints, coefs = [], [], []
    n_ids = len(numeric.kinds)
    for start in range(0, len(seeds), CHUNK):
        chunk = seeds[start : start + CHUNK]
        r, i, c = _instantiate(numeric, chunk, zero, n_ids)
        rows.append(r + start * n_ids)
        ints.append(i)
        coefs.append(c)
    rows = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    ints = np.concatenate(ints) if ints else np.zeros((0, n), dtype=np.int64)
    coefs = np.concatenate(coefs) if coefs else np.zeros(0, dtype=np.int64)
    extra = (
        np.zeros((0, n), dtype=np.int64)
        if extra_columns is None
        else np.asarray(extra_columns).reshape(-1, n)
    )
    integrals, cols = _number_columns(np.concatenate([ints, extra]), n)
    cols = cols[: len(ints)]
    # Entries come out grouped by row (seed-major, template order), so CSR needs only the row lengths.
    row_ids, compact = np.unique(rows, return_inverse=True)
    counts = np.bincount(compact.ravel(), minlength=0) if len(rows) else np.zeros(0, dtype=np.int64)
    indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    row_kind = np.array(numeric.kinds, dtype=object)[row_ids % n_ids] if n_ids else np.zeros(0, dtype=object)
    return System(integrals, indptr, cols.astype(np.int64), coefs, point.prime, len(seeds) * n_ids, row_kind)


def stack(*parts: tuple[System, np.ndarray]) -> System:
    """The chosen rows (bool mask per system) of several systems at the same prime, in one system with
    a common Laporta column numbering: e.g. IBP rows of one seed set with LI rows of another."""
    n = parts[0][0].integrals.shape[1]
    chosen = []
    for system, mask in parts:
        lengths = np.diff(system.indptr)
        entry_rows = np.repeat(np.arange(system.n_rows), lengths)
        keep = mask[entry_rows]
        chosen.append(
            (system.integrals[system.indices[keep]], system.data[keep], lengths[mask], system.row_kind[mask])
        )
    integrals, cols = _number_columns(np.concatenate([c[0] for c in chosen]).reshape(-1, n), n)
    indptr = np.concatenate([[0], np.cumsum(np.concatenate([c[2] for c in chosen]))]).astype(np.int64)
    return System(
        integrals,
        indptr,
        cols,
        np.concatenate([c[1] for c in chosen]),
        parts[0][0].prime,
        int(sum(m.sum() for _, m in parts)),
        np.concatenate([c[3] for c in chosen]),
    )


def _instantiate(numeric: NumericIdentities, seeds: np.ndarray, zero: np.ndarray, n_ids: int):
    p = numeric.prime
    # |a_j| ≤ ~20 and linear < 2**31, so Σ_j a_j·linear_jk < 2**40: exact in float64, whose matmul is BLAS
    # (numpy's integer matmul is not).
    linear = seeds.astype(np.float64) @ numeric.linear_float
    coef = (numeric.base[None, :] + linear.astype(np.int64)) % p
    shifted = seeds[:, None, :] + numeric.shifts[None, :, :]
    weights = np.float64(1) * (1 << np.arange(seeds.shape[1]))
    sector = ((shifted > 0) @ weights).astype(np.int64)
    keep = (coef != 0) & ~zero[sector]
    seed_idx, term_idx = np.nonzero(keep)
    rows = seed_idx * n_ids + numeric.identity[term_idx]
    return rows, shifted[seed_idx, term_idx], coef[seed_idx, term_idx]


def _number_columns(integrals: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Unique integrals in Laporta order and the column of each input row."""
    keys = IntegralKeys(n)
    if keys.fits(integrals):
        unique_keys, inverse = np.unique(keys.pack(integrals), return_inverse=True)
        unique = keys.unpack(unique_keys)
    else:  # indices beyond the packing range: slower but general
        unique, inverse = np.unique(integrals, axis=0, return_inverse=True)
    order = laporta_order(unique)
    column_of = np.empty(len(order), dtype=np.int64)
    column_of[order] = np.arange(len(order))
    return unique[order], column_of[inverse.ravel()]
