"""Numeric instantiation: identity templates × seeds → a sparse CSR system over Z_p in Laporta order.

The templates are first evaluated at the point (one modular number per coefficient of each linear form) and
flattened into per-(family, point, li) tables (cached). Then one compiled pass (:mod:`solver.instantiation`)
goes over every (seed, term): coefficient = form · (1, d, a_1..a_N) mod p, shifted integral = seed + shift as
a packed int64 key, zero-sector check; terms with a vanishing coefficient or in a zero sector are dropped on
the spot and the integrals are numbered through a hash map of the packed keys. Only the distinct integrals are
then sorted into Laporta order; equations that came out empty are dropped.

`_build_system_numpy` is the former all-numpy implementation (np.unique over every entry): the general
fallback when indices do not fit the int64 packing, and the reference the tests compare against.
"""

from __future__ import annotations

from dataclasses import dataclass, field
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
        n = self.integrals.shape[1]
        wanted = np.asarray(integrals, dtype=np.int64).reshape(-1, n)
        if len(wanted) <= 8:  # the usual case (the targets): compare directly, no lookup structure
            out = np.full(len(wanted), -1, dtype=np.int64)
            for i, row in enumerate(wanted):
                hit = np.flatnonzero((self.integrals == row).all(axis=1))
                if len(hit):
                    out[i] = hit[0]
            return out
        keys = IntegralKeys(n)
        if not (keys.fits(self.integrals) and keys.fits(wanted)):
            where = {tuple(r): c for c, r in enumerate(self.integrals.tolist())}
            return np.array([where.get(tuple(r), -1) for r in wanted.tolist()], dtype=np.int64)
        have = keys.pack(self.integrals)
        sorter = np.argsort(have, kind="stable")
        want = keys.pack(wanted)
        pos = np.minimum(np.searchsorted(have, want, sorter=sorter), max(len(have) - 1, 0))
        found = (have[sorter[pos]] == want) if len(have) else np.zeros(len(want), dtype=bool)
        return np.where(found, sorter[pos] if len(have) else -1, -1).astype(np.int64)


@dataclass(frozen=True)
class _Tables:
    """What the kernel needs of the identities at one (family, point, li), independent of the seeds."""

    ident: np.ndarray  # int64[K]: identity of each term
    shift_id: np.ndarray  # int64[K]: index of the term's shift among the distinct shifts
    base: np.ndarray  # int64[K]
    linear: np.ndarray  # int64[N, K]: coefficient of a_j
    ushifts: np.ndarray  # int64[D, N]: the distinct shifts
    ushift_key: np.ndarray  # int64[D]: packed key offsets, key(a + shift) = key(a) + ushift_key
    shift_min: np.ndarray  # int64[N]: smallest shift per index (0 if there are no terms)
    shift_max: np.ndarray  # int64[N]
    kinds: np.ndarray  # object[n_ids]: "ibp" / "li"
    zero: np.ndarray  # bool[2**N]
    keys: IntegralKeys
    digit: np.ndarray  # int64[N]: bit offset of each index in a packed key
    _row_kinds: list = field(default_factory=lambda: [np.zeros(0, dtype=object)])

    def row_kinds(self, n_seeds: int) -> np.ndarray:
        """The kinds of n_seeds × all identities, as a read-only view of one cached array (an object
        array built afresh costs ~25 ns per row)."""
        n_ids = len(self.kinds)
        if len(self._row_kinds[0]) < n_seeds * n_ids:
            grown = np.tile(self.kinds, max(n_seeds, 2 * len(self._row_kinds[0]) // max(n_ids, 1)))
            grown.flags.writeable = False
            self._row_kinds[0] = grown
        return self._row_kinds[0][: n_seeds * n_ids]


_TABLES: dict[tuple[str, Point, bool], _Tables] = {}


def _tables(family: Family, point: Point, li: bool) -> _Tables:
    key = (family.source_hash, point, li)
    if key not in _TABLES:
        numeric = numeric_identities(family, point).restricted(li)
        _TABLES[key] = _make_tables(
            numeric.identity, numeric.shifts, numeric.base, numeric.linear, numeric.kinds, zero_table(family)
        )
    return _TABLES[key]


def _make_tables(identity, shifts, base, linear, kinds, zero) -> _Tables:
    n = linear.shape[0]
    keys = IntegralKeys(n)
    digit = np.ascontiguousarray(keys._shifts())
    shifts = np.asarray(shifts, dtype=np.int64).reshape(-1, n)
    ushifts, shift_id = np.unique(shifts, axis=0, return_inverse=True)
    has = len(shifts) > 0
    return _Tables(
        ident=np.ascontiguousarray(identity, dtype=np.int64),
        shift_id=np.ascontiguousarray(shift_id.ravel(), dtype=np.int64),
        base=np.ascontiguousarray(base, dtype=np.int64),
        linear=np.ascontiguousarray(linear, dtype=np.int64).reshape(n, -1),
        ushifts=np.ascontiguousarray(ushifts, dtype=np.int64).reshape(-1, n),
        ushift_key=(ushifts.reshape(-1, n) << digit).sum(axis=1).astype(np.int64),
        shift_min=shifts.min(axis=0) if has else np.zeros(n, dtype=np.int64),
        shift_max=shifts.max(axis=0) if has else np.zeros(n, dtype=np.int64),
        kinds=np.array(kinds, dtype=object),
        zero=np.array(zero, dtype=np.bool_),  # a writable copy: numba compiles read-only arrays apart
        keys=keys,
        digit=digit,
    )


def warm_up() -> float:
    """Compile (or load from numba's cache) the instantiation kernels; returns the seconds it took. Call it
    outside a timed region: otherwise the first build_system of the process pays it."""
    import time

    t0 = time.perf_counter()
    _kernels()
    tables = _make_tables(
        np.zeros(1, dtype=np.int64),
        np.zeros((1, 1), dtype=np.int64),
        np.ones(1, dtype=np.int64),
        np.ones((1, 1), dtype=np.int64),
        ("ibp",),
        np.zeros(2, dtype=bool),
    )
    _build(tables, np.ones((1, 1), dtype=np.int64), np.array([[2]], dtype=np.int64), 7)
    return time.perf_counter() - t0


_KERNELS = None
# Initial hash-table size (log2); None: fitted to the seeds. Tests set it tiny to exercise grow-and-resume.
_TABLE_START_BITS: int | None = None


def _kernels():
    """The numba module, imported on first use (importing numba costs a few tenths of a second)."""
    global _KERNELS
    if _KERNELS is None:
        from solver import instantiation

        _KERNELS = instantiation
    return _KERNELS


def build_system(
    family: Family, point: Point, seeds: np.ndarray, extra_columns: np.ndarray | None = None, li: bool = True
) -> System:
    """Equations of every seed (rows seed-major, identities in template order); `extra_columns` (the
    targets) are numbered even if no equation mentions them."""
    seeds, extra = _checked_seeds(seeds, family.n), _rows(extra_columns, family.n)
    if not seeds.flags.writeable:  # one compiled specialisation (the warmed-up one) for every caller
        seeds = seeds.copy()
    tables = _tables(family, point, li)
    keys = tables.keys
    if (
        len(seeds)
        and (
            (seeds.min(axis=0) + tables.shift_min < keys.low).any()
            or (seeds.max(axis=0) + tables.shift_max > keys.high).any()
        )
        or not keys.fits(extra)
    ):
        return _build_system_numpy(family, point, seeds, extra, li)
    return _build(tables, seeds, extra, point.prime)


def _rows(integrals, n: int) -> np.ndarray:
    """Integrals (or seeds) as contiguous int64 rows of n indices; None: no rows."""
    if integrals is None:
        return np.zeros((0, n), dtype=np.int64)
    return np.ascontiguousarray(integrals, dtype=np.int64).reshape(-1, n)


def _checked_seeds(seeds, n: int) -> np.ndarray:
    """Both instantiations refuse the same seeds: beyond ±65536 the reference's float64 products would no
    longer be exact (below 2**53)."""
    seeds = _rows(seeds, n)
    if len(seeds) and np.abs(seeds).max() > 1 << 16:
        raise ValueError("seed indices beyond ±65536")
    return seeds


def _build(tables: _Tables, seeds: np.ndarray, extra: np.ndarray, prime: int) -> System:
    kern = _kernels()
    n_seeds, n_terms, n_ids = len(seeds), len(tables.base), len(tables.kinds)
    n_shifts = len(tables.ushift_key)
    # Start the hash table at ≤ 1/4 load for typical systems (about 4 distinct integrals per seed); it is
    # doubled whenever a seed could take it past half full.
    bits = _TABLE_START_BITS or max(6, int(16 * n_seeds + 2 * len(extra) + 4 * n_shifts).bit_length())
    table_keys, table_vals = kern.rehash(np.zeros(0, dtype=np.int64), 0, bits)
    uniq = np.empty(1 << (bits - 1), dtype=np.int64)
    row_len = np.zeros(n_seeds * n_ids, dtype=np.int64)
    out_col = np.empty(n_seeds * n_terms, dtype=np.int64)
    out_coef = np.empty(n_seeds * n_terms, dtype=np.int64)
    done, n_uniq, n_out = 0, 0, 0
    while True:
        done, n_uniq, n_out = kern.instantiate(
            seeds, done, tables.ident, tables.shift_id, tables.base, tables.linear, tables.ushifts,
            tables.ushift_key, tables.zero, n_ids, prime, tables.keys.low, tables.digit, table_keys,
            table_vals, bits, uniq, n_uniq, row_len, out_col, out_coef, n_out,
        )  # fmt: skip
        if done == n_seeds and n_uniq + len(extra) <= len(uniq):
            break
        bits += 1
        table_keys, table_vals = kern.rehash(uniq, n_uniq, bits)
        grown = np.empty(1 << (bits - 1), dtype=np.int64)
        grown[:n_uniq] = uniq[:n_uniq]
        uniq = grown
    if len(extra):
        n_uniq = kern.number_extra(tables.keys.pack(extra), table_keys, table_vals, bits, uniq, n_uniq)
    keys = tables.keys
    integrals, composite = kern.unpack_in_order(uniq[:n_uniq], keys.n, keys.low, tables.digit, keys.bits)
    # Distinct integrals have distinct composite keys, so any sort gives the one Laporta order.
    order = np.argsort(-composite) if len(composite) == n_uniq else laporta_order(integrals)
    column_of = np.empty(n_uniq, dtype=np.int64)
    column_of[order] = np.arange(n_uniq, dtype=np.int64)
    kern.renumber(out_col, n_out, column_of)
    indptr = np.zeros(n_seeds * n_ids + 1, dtype=np.int64)
    np.cumsum(row_len, out=indptr[1:])
    if indptr[-1] and (row_len == 0).any():  # drop the equations that came out empty
        row_ids = np.flatnonzero(row_len)
        indptr = np.concatenate([[0], indptr[1:][row_ids]])
        row_kind = tables.kinds[row_ids % n_ids]
    elif indptr[-1]:  # none empty (the usual case): the kinds repeat in template order
        row_kind = tables.row_kinds(n_seeds)
    else:
        indptr, row_kind = indptr[:1], np.zeros(0, dtype=object)
    # The CSR arrays are the leading parts of the kernel's buffers (sized for every term): no copies.
    return System(
        integrals[order], indptr, out_col[:n_out], out_coef[:n_out], prime, n_seeds * n_ids, row_kind
    )


def _build_system_numpy(
    family: Family, point: Point, seeds: np.ndarray, extra_columns: np.ndarray | None = None, li: bool = True
) -> System:
    """The all-numpy instantiation (the reference for tests; the fallback beyond the key packing)."""
    numeric = numeric_identities(family, point).restricted(li)
    zero = zero_table(family)
    n = family.n
    seeds = _checked_seeds(seeds, n)
    n_ids = len(numeric.kinds)
    # One pass even without seeds: it gives empty arrays of the right shapes.
    parts = [_instantiate(numeric, seeds, start, zero) for start in range(0, max(len(seeds), 1), CHUNK)]
    rows, ints, coefs = (np.concatenate(arrays) for arrays in zip(*parts, strict=True))
    integrals, cols = _number_columns(np.concatenate([ints, _rows(extra_columns, n)]), n)
    cols = cols[: len(ints)]
    # Entries come out grouped by row (seed-major, template order), so CSR needs only the row lengths.
    row_ids, compact = np.unique(rows, return_inverse=True)
    counts = np.bincount(compact.ravel())
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


def _instantiate(numeric: NumericIdentities, seeds: np.ndarray, start: int, zero: np.ndarray):
    """Rows (numbered seed-major over all the seeds), integrals and coefficients of seeds[start:][:CHUNK]."""
    p, n_ids = numeric.prime, len(numeric.kinds)
    seeds = seeds[start : start + CHUNK]
    # |a_j| ≤ ~20 and linear < 2**31, so Σ_j a_j·linear_jk < 2**40: exact in float64, whose matmul is BLAS
    # (numpy's integer matmul is not).
    linear = seeds.astype(np.float64) @ numeric.linear_float
    coef = (numeric.base[None, :] + linear.astype(np.int64)) % p
    shifted = seeds[:, None, :] + numeric.shifts[None, :, :]
    weights = np.float64(1) * (1 << np.arange(seeds.shape[1]))
    sector = ((shifted > 0) @ weights).astype(np.int64)
    keep = (coef != 0) & ~zero[sector]
    seed_idx, term_idx = np.nonzero(keep)
    rows = (start + seed_idx) * n_ids + numeric.identity[term_idx]
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
