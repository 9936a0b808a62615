"""Sectors and zero (scaleless) sectors.

A sector is the set of lines {j : a_j > 0}, as the bitmask Σ 2^j (j from 0). Zero sectors are found with
Lee's criterion (arXiv:1310.1145 / Lee–Pomeransky): the sector's integrals all vanish iff G = U + F,
restricted to the sector's Feynman parameters, is quasi-homogeneous, i.e. some vector k has k·e = 1 for
the exponent vector e of every monomial of G. That is one exact linear system per sector.
"""

from __future__ import annotations

import numpy as np
import sympy

from solver.family import Family
from solver.kinematics import kinematics


def sector_of(indices) -> int:
    return sum(1 << j for j, a in enumerate(indices) if a > 0)


def subsectors(mask: int) -> list[int]:
    """All sectors whose lines are a subset of `mask` (including mask and the empty sector)."""
    out, sub = [], mask
    while True:
        out.append(sub)
        if sub == 0:
            return out
        sub = (sub - 1) & mask


def symanzik(family: Family) -> tuple[sympy.Expr, sympy.Expr, tuple[sympy.Symbol, ...]]:
    """U and F of the family, in Feynman parameters x0..x{N-1}; F up to an overall sign (irrelevant here)."""
    kin = kinematics(family)
    n_loops, n = kin.n_loops, kin.n
    xs = sympy.symbols(f"x0:{n}")
    a = sympy.zeros(n_loops, n_loops)
    b: list[dict[int, sympy.Expr]] = [{} for _ in range(n_loops)]  # B_u = Σ_e b[u][e] p_e
    c = sympy.Integer(0)
    for j, quad in enumerate(kin.quadratic):
        for (u, v), coeff in quad.items():
            if v < n_loops:
                half = coeff if u == v else coeff / 2
                a[u, v] += half * xs[j]
                if u != v:
                    a[v, u] += half * xs[j]
            elif u < n_loops:
                b[u][v] = b[u].get(v, 0) + coeff / 2 * xs[j]
        c += kin.constants[j] * xs[j]
    u_poly = sympy.expand(a.det())
    adj = a.adjugate()
    bab = sympy.Integer(0)
    for u in range(n_loops):
        for v in range(n_loops):
            for e, be in b[u].items():
                for f, bf in b[v].items():
                    bab += adj[u, v] * be * bf * kin.external_products[(min(e, f), max(e, f))]
    # Completing the square in Σ x_j D_j = kᵀAk + 2Bᵀk + C gives F ∝ C·det A − Bᵀ adj(A) B.
    f_poly = sympy.expand(c * u_poly - bab)
    return u_poly, f_poly, xs


_EXPONENTS: dict[str, np.ndarray] = {}
_ZERO: dict[str, dict[int, bool]] = {}


def _exponents(family: Family) -> np.ndarray:
    """Exponent vectors of the monomials of G = U + F (rows)."""
    if family.source_hash not in _EXPONENTS:
        u_poly, f_poly, xs = symanzik(family)
        terms = [m for m, coeff in sympy.Poly(u_poly + f_poly, *xs).terms() if coeff != 0]
        _EXPONENTS[family.source_hash] = np.array(terms, dtype=np.int64).reshape(-1, len(xs))
    return _EXPONENTS[family.source_hash]


def zero_sectors(family: Family) -> dict[int, bool]:
    """{sector mask: is zero} for every subsector of the family's top sector."""
    if family.source_hash not in _ZERO:
        exponents = _exponents(family)
        _ZERO[family.source_hash] = {
            mask: _quasi_homogeneous(exponents, mask) for mask in subsectors(family.top_mask)
        }
    return _ZERO[family.source_hash]


def is_zero_sector(family: Family, mask: int) -> bool:
    table = zero_sectors(family)
    return table[mask] if mask in table else _quasi_homogeneous(_exponents(family), mask)


def _quasi_homogeneous(exponents: np.ndarray, mask: int) -> bool:
    lines = [j for j in range(exponents.shape[1]) if mask >> j & 1]
    outside = [j for j in range(exponents.shape[1]) if not mask >> j & 1]
    # Setting the parameters of the missing lines to zero keeps only monomials free of them.
    kept = exponents[~exponents[:, outside].any(axis=1)] if outside else exponents
    if len(kept) == 0 or not lines:
        return True
    system = sympy.Matrix(kept[:, lines].tolist())
    augmented = system.row_join(sympy.ones(system.rows, 1))
    return system.rank() == augmented.rank()


_TABLE: dict[str, np.ndarray] = {}


def zero_table(family: Family) -> np.ndarray:
    """bool[2^N] lookup: True where the sector is zero. Sectors outside the top sector never occur
    (IBP and LI shifts only remove lines from a seed's sector), so they are marked zero."""
    if family.source_hash not in _TABLE:
        table = np.ones(1 << family.n, dtype=bool)
        for mask, zero in zero_sectors(family).items():
            table[mask] = zero
        table.flags.writeable = False
        _TABLE[family.source_hash] = table
    return _TABLE[family.source_hash]
