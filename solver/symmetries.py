"""Symmetries a family declares: permutations of its propagators that leave the integrals unchanged.

A family file may declare, in an optional table,

    [symmetries]
    left_right = [6, 5, 4, 3, 2, 1, 7, 9, 8]   # D_j becomes D_sigma(j), 1-based

A permutation σ is accepted only if it leaves both Symanzik polynomials U and F (over all N Feynman
parameters, numerators included, at fixed invariants) unchanged under x_j → x_σ(j). Then the Lee–Pomeransky
representation, whose prefactor is symmetric in the indices, gives I(a) = I(b) with b_σ(j) = a_j for every
index vector a, numerators and dots included. Symmetries that exchange invariants (s ↔ t) or that map a
propagator onto a combination of others are not expressible here.

Seedtrace's reductions never use symmetries (every score and every "complete" is relative to the masters
counted without them); they only give the master count *with* symmetries that physicists quote
(solver.masters), next to the count without.
"""

from __future__ import annotations

import numpy as np
import sympy

from solver.family import Family, FamilyError


def zero_based(family: Family) -> list[tuple[str, np.ndarray]]:
    """The declared symmetries as (name, σ) with σ 0-based: D_j becomes D_σ[j]."""
    return [(name, np.array(sigma, dtype=np.int64) - 1) for name, sigma in family.symmetries]


def apply(sigma: np.ndarray, integrals: np.ndarray) -> np.ndarray:
    """Images of index vectors (rows) under σ: b[σ[j]] = a[j]."""
    a = np.asarray(integrals, dtype=np.int64)
    out = np.empty_like(a)
    out[..., sigma] = a
    return out


def check_symmetries(family: Family) -> None:
    """FamilyError naming symmetries.<name> for a permutation that is not a symmetry of U and F."""
    from solver.sectors import symanzik

    u_poly, f_poly, xs = symanzik(family)
    for name, sigma in zero_based(family):
        image = {xs[j]: xs[int(sigma[j])] for j in range(len(xs))}
        for label, poly in (("U", u_poly), ("F", f_poly)):
            if sympy.expand(poly.xreplace(image) - poly) != 0:
                raise FamilyError(
                    f"symmetries.{name}",
                    f"does not leave the Symanzik polynomial {label} unchanged (x_j -> x_sigma(j)): "
                    "not a symmetry of the family at fixed invariants",
                )
