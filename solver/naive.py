"""A deliberately straightforward dict-of-rows modular elimination: the baseline.

Each equation is a ``dict {column: coefficient}``. Rows are taken in the order given and reduced against the
pivot rows found so far (leading column = smallest index = most complex integral), the survivors normalised
to a leading 1 and kept in echelon (not fully reduced) form. Targets are then back-substituted. No cleverness
on purpose: this is what :mod:`solver.elimination` is measured against and checked against.
"""

from __future__ import annotations

import numpy as np

from solver.echelon import Elimination, Work, check_system


def eliminate(n_cols: int, indptr, indices, data, prime: int, targets) -> Elimination:
    indptr, indices, data, targets = check_system(n_cols, indptr, indices, data, prime, targets)
    p = int(prime)
    pivot_rows: dict[int, dict[int, int]] = {}
    steps = madds = fill = 0  # the same counts as the fast kernel's Work, for this algorithm
    ip, ix, dv = indptr.tolist(), indices.tolist(), data.tolist()
    for i in range(len(ip) - 1):
        row = {ix[k]: dv[k] for k in range(ip[i], ip[i + 1]) if dv[k] % p}
        while row:
            lead = min(row)
            piv = pivot_rows.get(lead)
            if piv is None:
                inv = pow(row[lead], -1, p)
                pivot_rows[lead] = {c: v * inv % p for c, v in row.items()}
                break
            f = row[lead]
            steps += 1
            madds += len(piv) - 1
            for c, v in piv.items():
                fill += c not in row
                nv = (row.get(c, 0) - f * v) % p
                if nv:
                    row[c] = nv
                else:
                    row.pop(c, None)
    pivots = np.zeros(n_cols, dtype=bool)
    pivots[list(pivot_rows)] = True
    reduced: dict[int, tuple[np.ndarray, np.ndarray] | None] = {}
    for t in targets.tolist():
        if t in reduced:
            continue
        if t not in pivot_rows:
            reduced[t] = None
            continue
        # row: I_t + sum_c row[c] I_c = 0; eliminate pivot columns other than t, most complex first.
        row = dict(pivot_rows[t])
        del row[t]
        while True:
            pending = [c for c in row if c in pivot_rows]
            if not pending:
                break
            lead = min(pending)
            f = row.pop(lead)
            steps += 1
            madds += len(pivot_rows[lead]) - 1
            for c, v in pivot_rows[lead].items():
                if c == lead:
                    continue
                fill += c not in row
                nv = (row.get(c, 0) - f * v) % p
                if nv:
                    row[c] = nv
                else:
                    row.pop(c, None)
        cols = np.array(sorted(row), dtype=np.int64)
        coeffs = np.array([(-row[c]) % p for c in cols.tolist()], dtype=np.int64)
        reduced[t] = (cols, coeffs)
    work = Work(steps, madds, fill, sum(len(row) for row in pivot_rows.values()))
    return Elimination(rank=len(pivot_rows), pivots=pivots, reduced=reduced, work=work)
