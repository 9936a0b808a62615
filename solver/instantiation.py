"""Compiled kernels behind :func:`solver.system.build_system`: every (seed, template term) in one pass.

Per seed a, :func:`instantiate`

* checks the sector of a + shift for each *distinct* shift (trianglebox: 40 distinct among 109 terms)
  against the zero-sector table;
* computes the coefficients of all terms, (base_k + Σ_j a_j · linear_jk) mod p, exactly in int64
  (|a_j| ≤ 2**16, linear < 2**31), as dense loops over the terms that the compiler vectorises, with the
  quotient of the reduction mod p estimated in double precision instead of a 64-bit division;
* drops the terms whose coefficient vanishes or whose sector is zero without branching (every term is
  written, the output position only advances past kept ones: which terms drop is data dependent);
* numbers each integral a kept term needs, once per distinct shift, through an open-addressing hash map of
  packed int64 keys, key(a + shift) = key(a) + key offset of the shift (the digits never borrow: the caller
  checks that every shifted index fits the packing). Local numbers follow first appearance.

No (seeds × terms × N) temporaries and no sort of all entries: :func:`unpack_in_order` gives the distinct
integrals one int64 each whose order is the Laporta order, one argsort puts them in order and
:func:`renumber` maps the entries' local numbers to columns in place.

The hash table starts at a size fitted to the number of seeds; when a seed could push it past half full the
kernel returns, the caller doubles the table (:func:`rehash`) and resumes at that seed (growing arrays inside
the loop would make numba reference-count them on every iteration). ``cache=True``: compiled once per
machine (~3 s), later processes load the machine code (:func:`solver.system.warm_up`).
"""

from __future__ import annotations

import numpy as np
from numba import njit

EMPTY = -1  # packed keys are non-negative (every digit is index - low ≥ 0)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


@njit(cache=True, inline="always")
def _slot(key, bits):
    return np.int64((np.uint64(key) * _GOLDEN) >> np.uint64(64 - bits))


@njit(cache=True, inline="always")
def _number(key, table_keys, table_vals, bits, uniq_keys, n_uniq):
    """Local number of `key`, inserting it if new; returns (number, n_uniq)."""
    mask = len(table_keys) - 1
    h = _slot(key, bits)
    while True:
        k = table_keys[h]
        if k == key:
            return table_vals[h], n_uniq
        if k == EMPTY:
            table_keys[h] = key
            table_vals[h] = n_uniq
            uniq_keys[n_uniq] = key
            return n_uniq, n_uniq + 1
        h = (h + 1) & mask


@njit(cache=True)
def rehash(uniq_keys, n_uniq, bits):
    """A table of 2**bits slots holding the first n_uniq keys (numbered in order)."""
    cap = 1 << bits
    table_keys = np.full(cap, EMPTY, dtype=np.int64)
    table_vals = np.empty(cap, dtype=np.int64)
    mask = cap - 1
    for i in range(n_uniq):
        key = uniq_keys[i]
        h = _slot(key, bits)
        while table_keys[h] != EMPTY:
            h = (h + 1) & mask
        table_keys[h] = key
        table_vals[h] = i
    return table_keys, table_vals


@njit(cache=True)
def instantiate(
    seeds,  # int64[S, N]
    start,  # first seed to process (resume point)
    ident,  # int64[K]: identity of each term
    shift_id,  # int64[K]: which distinct shift the term has
    base,  # int64[K]: constant + d-coefficient · d, mod p
    linear,  # int64[N, K]: coefficient of a_j, mod p
    ushifts,  # int64[D, N]: the distinct shifts
    ushift_key,  # int64[D]: each packed as a key offset, key(a + shift) = key(a) + ushift_key
    zero,  # bool[2**N]: zero sectors
    n_ids,
    p,
    low,
    digit,  # int64[N]: bit offset of each index in the packed key
    table_keys,
    table_vals,
    bits,
    uniq_keys,
    n_uniq,
    row_len,  # int64[S * n_ids], accumulated
    out_col,  # int64[S * K]: local number of each kept entry
    out_coef,
    n_out,
):
    n_seeds, n = seeds.shape
    n_terms, n_shifts = len(base), len(ushift_key)
    limit = len(table_keys) >> 1
    pinv = 1.0 / p
    live = np.empty(n_shifts, dtype=np.int64)  # per distinct shift: 1 unless the sector is zero
    used = np.empty(n_shifts, dtype=np.int64)  # ... and some term with a non-zero coefficient needs it
    col_of = np.empty(n_shifts, dtype=np.int64)
    coef = np.empty(n_terms, dtype=np.int64)
    for s in range(start, n_seeds):
        if n_uniq + n_shifts > limit:  # this seed could overfill the table: let the caller grow it
            return s, n_uniq, n_out
        for u in range(n_shifts):
            sector = 0
            for j in range(n):
                sector |= np.int64(seeds[s, j] + ushifts[u, j] > 0) << j
            live[u] = 1 - np.int64(zero[sector])
            used[u] = 0
        # Coefficients of all terms at once (dense loops the compiler vectorises). Exact: |a_j| ≤ 2**16,
        # linear < 2**31, N ≤ 31 where keys fit, so |c| < 2**52 and the double quotient estimate is off by
        # at most one: c - q·p lies in [-p, p], and the two corrections bring it to [0, p).
        for k in range(n_terms):
            coef[k] = base[k]
        for j in range(n):
            a = seeds[s, j]
            for k in range(n_terms):
                coef[k] += a * linear[j, k]
        for k in range(n_terms):
            c = coef[k]
            c -= np.int64(c * pinv) * p
            c += p * np.int64(c < 0)
            c -= p * np.int64(c >= p)
            coef[k] = c
        # Emit the kept terms without branching (which terms drop is unpredictable): write every term,
        # advance only past kept ones. out_col holds the shift for now.
        row0 = s * n_ids
        first = n_out
        for k in range(n_terms):
            u = shift_id[k]
            c = coef[k]
            keep = live[u] & np.int64(c != 0)
            out_col[n_out] = u
            out_coef[n_out] = c
            n_out += keep
            used[u] |= keep
            row_len[row0 + ident[k]] += keep
        # Number the integrals this seed's equations mention (only those: as np.nonzero(keep) did).
        key0 = 0
        for j in range(n):
            key0 += (seeds[s, j] - low) << digit[j]
        for u in range(n_shifts):
            if used[u]:
                col_of[u], n_uniq = _number(
                    key0 + ushift_key[u], table_keys, table_vals, bits, uniq_keys, n_uniq
                )
        for e in range(first, n_out):
            out_col[e] = col_of[out_col[e]]
    return n_seeds, n_uniq, n_out


@njit(cache=True)
def number_extra(keys, table_keys, table_vals, bits, uniq_keys, n_uniq):
    """Number integrals that must be columns even if no equation mentions them (the targets)."""
    for i in range(len(keys)):
        _, n_uniq = _number(keys[i], table_keys, table_vals, bits, uniq_keys, n_uniq)
    return n_uniq


@njit(cache=True)
def renumber(out_col, n_out, column_of):
    """Local numbers → Laporta columns, in place (the buffer is already in cache; a new one page-faults)."""
    for e in range(n_out):
        out_col[e] = column_of[out_col[e]]


@njit(cache=True)
def unpack_in_order(uniq_keys, n, low, digit, dbits):
    """The integrals of the packed keys, and one int64 per integral whose descending order is the Laporta
    order of solver.integral (t, r, s, sector mask, then the indices lexicographically, all descending):
    (t, r, s, sector) as a mixed-radix number over the values present, followed by the packed key (which
    compares like the index vectors) or, when that is too long, by the indices in mixed radix over their
    ranges. Empty when even that could reach 2**62 (the caller then sorts with integral.laporta_order)."""
    m = len(uniq_keys)
    mask = (1 << dbits) - 1
    ints = np.empty((m, n), dtype=np.int64)
    coarse = np.empty(m, dtype=np.int64)
    r_all = np.empty(m, dtype=np.int64)
    s_all = np.empty(m, dtype=np.int64)
    rmax, smax = 0, 0
    for i in range(m):
        key = uniq_keys[i]
        t, r, s, sector = 0, 0, 0, 0
        for j in range(n):
            a = ((key >> digit[j]) & mask) + low
            ints[i, j] = a
            line = np.int64(a > 0)  # branch-free: the sign pattern is unpredictable
            t += line
            r += a * line
            s -= a * (1 - line)
            sector |= line << j
        coarse[i] = t << n | sector
        r_all[i] = r
        s_all[i] = s
        rmax = max(rmax, r)
        smax = max(smax, s)
    comp = np.empty(m, dtype=np.int64)
    size = float(n + 1) * float(rmax + 1) * float(smax + 1) * 2.0**n
    if size * 2.0 ** (dbits * n) < 2.0**62:
        for i in range(m):
            t, sector = coarse[i] >> n, coarse[i] & ((1 << n) - 1)
            x = ((t * (rmax + 1) + r_all[i]) * (smax + 1) + s_all[i]) << n | sector
            comp[i] = x << (dbits * n) | uniq_keys[i]
        return ints, comp
    lo = np.empty(n, dtype=np.int64)
    width = np.empty(n, dtype=np.int64)
    for j in range(n):
        low_j, high_j = 0, 0
        for i in range(m):
            low_j = min(low_j, ints[i, j])
            high_j = max(high_j, ints[i, j])
        lo[j] = low_j
        width[j] = high_j - low_j + 1
        size *= float(width[j])
    if size >= 2.0**62:
        return ints, np.empty(0, dtype=np.int64)
    for i in range(m):
        t, sector = coarse[i] >> n, coarse[i] & ((1 << n) - 1)
        x = ((t * (rmax + 1) + r_all[i]) * (smax + 1) + s_all[i]) << n | sector
        for j in range(n):
            x = x * width[j] + (ints[i, j] - lo[j])
        comp[i] = x
    return ints, comp
