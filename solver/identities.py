"""IBP and Lorentz-invariance identities of a family, derived once with sympy as templates.

A template is one identity for a generic seed a = (a_1..a_N): a list of terms (shift, form) meaning
Σ form(a, d) · I(a + shift) = 0, where form is LINEAR in (1, d, a_1..a_N) with coefficients in the
invariants. Linearity holds because a derivative hits one propagator at a time: ∂ D_j^(-a_j) = -a_j ...
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from solver.family import Family
from solver.kinematics import Kinematics, kinematics

Shift = tuple[int, ...]
# form[0]: constant, form[1]: coefficient of d, form[2 + j]: coefficient of a_j.
Form = tuple[sympy.Expr, ...]


@dataclass(frozen=True)
class IdentityTemplate:
    """One identity for a generic seed a: Σ form(a, d) · I(a + shift) = 0 over its terms."""

    kind: str  # "ibp" or "li"
    label: str  # e.g. "d/dk1 . p2" or "LI p1,p2"
    terms: tuple[tuple[Shift, Form], ...]


class _Builder:
    """Accumulates terms of one identity, merging equal shifts."""

    def __init__(self, n: int):
        self.n = n
        self.terms: dict[Shift, list[sympy.Expr]] = {}

    def add(self, shift: Shift, slot: int, coeff: sympy.Expr) -> None:
        form = self.terms.setdefault(shift, [sympy.Integer(0)] * (self.n + 2))
        form[slot] += coeff

    def add_vector_derivative(self, kin: Kinematics, q: int, wrt: int, scale: sympy.Expr) -> None:
        """scale · (m_q · ∂/∂m_wrt) acting on Π D_j^(-a_j):  Σ_j -a_j D_j^(-1) (m_q·∂D_j/∂m_wrt)."""
        for j in range(self.n):
            for v, c in kin.derivative(j, wrt).items():
                coeffs, constant = kin.dot(q, v)
                raise_j = tuple(1 if i == j else 0 for i in range(self.n))
                self.add(raise_j, 2 + j, -scale * c * constant)
                for lower, lam in enumerate(coeffs):
                    if lam != 0:
                        shift = tuple(r - (1 if i == lower else 0) for i, r in enumerate(raise_j))
                        self.add(shift, 2 + j, -scale * c * lam)

    def template(self, kind: str, label: str) -> IdentityTemplate:
        terms = []
        for shift, form in sorted(self.terms.items()):
            form = tuple(sympy.expand(x) for x in form)
            if any(x != 0 for x in form):
                terms.append((shift, form))
        return IdentityTemplate(kind, label, tuple(terms))


def ibp_templates(family: Family) -> list[IdentityTemplate]:
    """L·(L+E) identities: ∫ ∂/∂k_i · q (1/D^a) = 0 for q in loop and external momenta."""
    kin = kinematics(family)
    names = family.loop_momenta + family.external_momenta
    out = []
    for i in range(kin.n_loops):
        for q in range(len(names)):
            builder = _Builder(kin.n)
            if q == i:
                builder.add((0,) * kin.n, 1, sympy.Integer(1))  # ∂_μ k^μ = d
            builder.add_vector_derivative(kin, q, i, sympy.Integer(1))
            out.append(builder.template("ibp", f"d/d{names[i]} . {names[q]}"))
    return out


def li_templates(family: Family) -> list[IdentityTemplate]:
    """E(E-1)/2 identities: Σ_n [(p_j·p_n)(p_k·∂/∂p_n) - (p_k·p_n)(p_j·∂/∂p_n)] I = 0, j < k."""
    kin = kinematics(family)
    ext = range(kin.n_loops, kin.n_loops + kin.n_external)
    out = []
    for j in ext:
        for k in ext:
            if k <= j:
                continue
            builder = _Builder(kin.n)
            for n in ext:
                builder.add_vector_derivative(kin, k, n, kin.external_products[(min(j, n), max(j, n))])
                builder.add_vector_derivative(kin, j, n, -kin.external_products[(min(k, n), max(k, n))])
            names = family.external_momenta
            label = f"LI {names[j - kin.n_loops]},{names[k - kin.n_loops]}"
            out.append(builder.template("li", label))
    return out


_CACHE: dict[str, tuple[IdentityTemplate, ...]] = {}


def templates(family: Family) -> tuple[IdentityTemplate, ...]:
    """All identities of the family, IBP first then LI; derived once per family file."""
    if family.source_hash not in _CACHE:
        _CACHE[family.source_hash] = tuple(ibp_templates(family) + li_templates(family))
    return _CACHE[family.source_hash]
