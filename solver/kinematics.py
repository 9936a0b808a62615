"""Scalar-product algebra of a family: propagators as a basis of the loop-momentum scalar products.

Momenta are numbered loop momenta first (0..L-1), then the external ones (L..L+E-1). A scalar product
m_u·m_v with a loop momentum is written as a linear form in the propagators D_1..D_N plus a constant;
one between external momenta is an invariant expression from the family file.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from solver.family import Family, FamilyError, parse_expression

# A linear form in the propagators: (coefficients of D_1..D_N, constant); entries are sympy expressions.
LinearForm = tuple[tuple[sympy.Expr, ...], sympy.Expr]


@dataclass(frozen=True)
class Kinematics:
    n_loops: int
    n_external: int
    invariants: tuple[sympy.Symbol, ...]
    # quadratic[j][(u, v)] (u <= v): coefficient of m_u·m_v in D_j; constants[j]: the rest of D_j
    # (masses and the external products it contains), in the invariants.
    quadratic: tuple[dict[tuple[int, int], sympy.Rational], ...]
    constants: tuple[sympy.Expr, ...]
    external_products: dict[tuple[int, int], sympy.Expr]
    basis_inverse: sympy.Matrix  # loop products (in loop_pairs order) = inverse · (D - c)
    loop_pairs: tuple[tuple[int, int], ...]

    @property
    def n(self) -> int:
        return len(self.constants)

    def dot(self, u: int, v: int) -> LinearForm:
        """m_u·m_v as a linear form in the propagators."""
        u, v = min(u, v), max(u, v)
        zero = (sympy.Integer(0),) * self.n
        if u >= self.n_loops:
            return zero, self.external_products[(u, v)]
        row = self.loop_pairs.index((u, v))
        coeffs = tuple(sympy.nsimplify(self.basis_inverse[row, j]) for j in range(self.n))
        constant = -sum((coeffs[j] * self.constants[j] for j in range(self.n)), sympy.Integer(0))
        return coeffs, sympy.expand(constant)

    def derivative(self, j: int, wrt: int) -> dict[int, sympy.Rational]:
        """∂D_j/∂m_wrt as a combination of momenta {v: coefficient}."""
        out: dict[int, sympy.Rational] = {}
        for (u, v), c in self.quadratic[j].items():
            if u == wrt:
                out[v] = out.get(v, 0) + c
            if v == wrt:
                out[u] = out.get(u, 0) + c
        return {v: c for v, c in out.items() if c != 0}


_CACHE: dict[str, Kinematics] = {}


def kinematics(family: Family) -> Kinematics:
    if family.source_hash not in _CACHE:
        _CACHE[family.source_hash] = _derive(family)
    return _CACHE[family.source_hash]


def _symbols(family: Family) -> tuple[list[sympy.Symbol], list[sympy.Symbol], dict[str, sympy.Symbol]]:
    momenta = [sympy.Symbol(name) for name in family.loop_momenta + family.external_momenta]
    invariants = [sympy.Symbol(name) for name in family.invariants]
    table = {str(s): s for s in momenta + invariants}
    return momenta, invariants, table


def _derive(family: Family) -> Kinematics:
    momenta, invariants, table = _symbols(family)
    n_loops = len(family.loop_momenta)
    quadratic, constants = [], []
    for j, text in enumerate(family.propagators):
        quad, const = _split_propagator(text, momenta, n_loops, table, f"propagators[{j}]")
        quadratic.append(quad)
        constants.append(const)
    external_products = _external_products(family, momenta, n_loops, table)
    loop_pairs = tuple((u, v) for u in range(n_loops) for v in range(u, len(momenta)))
    for j, quad in enumerate(quadratic):
        external = [c * external_products[pair] for pair, c in quad.items() if pair[0] >= n_loops]
        constants[j] = sympy.expand(constants[j] + sum(external, sympy.Integer(0)))
    matrix = sympy.Matrix([[quad.get(pair, 0) for pair in loop_pairs] for quad in quadratic])
    if matrix.rank() < len(loop_pairs):
        raise FamilyError(
            "propagators",
            "singular basis: the propagators do not span the scalar products with loop momenta "
            f"({matrix.rank()} independent of {len(loop_pairs)})",
        )
    return Kinematics(
        n_loops=n_loops,
        n_external=len(family.external_momenta),
        invariants=tuple(invariants),
        quadratic=tuple(quadratic),
        constants=tuple(constants),
        external_products=external_products,
        basis_inverse=matrix.inv(),
        loop_pairs=loop_pairs,
    )


def _split_propagator(text, momenta, n_loops, table, where):
    """D = Σ c_uv m_u·m_v + constant; refuse anything that is not quadratic in the momenta."""
    expr = sympy.expand(parse_expression(text, table, where))
    try:
        poly = sympy.Poly(expr, *momenta)
    except sympy.PolynomialError:
        raise FamilyError(where, f"{text!r} is not a polynomial in the momenta") from None
    quad: dict[tuple[int, int], sympy.Rational] = {}
    constant = sympy.Integer(0)
    for exps, coeff in poly.terms():
        degree = sum(exps)
        if degree == 0:
            constant = coeff
            continue
        if degree != 2:
            raise FamilyError(where, f"{text!r} is not quadratic in the momenta (a term of degree {degree})")
        if coeff.free_symbols:
            raise FamilyError(where, f"{text!r}: the coefficient of a momentum product must be a number")
        idx = [i for i, e in enumerate(exps) for _ in range(e)]
        quad[(idx[0], idx[1])] = sympy.Rational(coeff)
    if not any(u < n_loops for u, _ in quad):
        raise FamilyError(where, f"{text!r} does not depend on a loop momentum")
    return quad, constant


def _external_products(family, momenta, n_loops, table):
    externals = momenta[n_loops:]
    invariant_table = {name: s for name, s in table.items() if name in family.invariants}
    products: dict[tuple[int, int], sympy.Expr] = {}
    for key, value in family.scalar_products:
        where = f"scalar_products[{key!r}]"
        try:
            poly = sympy.Poly(parse_expression(key, table, where), *externals)
        except (sympy.PolynomialError, sympy.GeneratorsNeeded):
            raise FamilyError(where, "the key must be a product of two external momenta") from None
        terms = poly.terms()
        if len(terms) != 1 or sum(terms[0][0]) != 2 or terms[0][1] != 1:
            raise FamilyError(where, 'the key must be a product of two external momenta like "p1*p2"')
        idx = [n_loops + i for i, e in enumerate(terms[0][0]) for _ in range(e)]
        pair = (idx[0], idx[1])
        if pair in products:
            raise FamilyError(where, "given twice")
        products[pair] = sympy.expand(parse_expression(value, invariant_table, where))
    for u in range(n_loops, len(momenta)):
        for v in range(u, len(momenta)):
            if (u, v) not in products:
                name = f"{momenta[u]}^2" if u == v else f"{momenta[u]}*{momenta[v]}"
                raise FamilyError("scalar_products", f"missing the scalar product {name!r}")
    return products
