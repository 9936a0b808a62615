"""Numeric points over Z_p: values of d and of the invariants, and exact evaluation of rational
expressions modulo the prime.

A reduction that closes at one random point closes generically; a second prime and point (``--check 2``)
guards against the rare unlucky one.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import sympy

from solver.family import Family

# Both below 2**31, so that a product of two residues fits in an int64 (the kernels rely on it).
PRIMES = (2147483647, 2147483629, 2147483587, 2147483579, 2147483563)


class BadPoint(ArithmeticError):
    """A denominator vanishes at this point modulo the prime; choose another point."""


@dataclass(frozen=True)
class Point:
    prime: int
    d: int
    values: tuple[tuple[str, int], ...]  # (invariant name, value mod prime)

    def to_json(self) -> dict:
        return {"prime": self.prime, "d": self.d, **dict(self.values)}

    def substitution(self) -> dict[sympy.Symbol, sympy.Integer]:
        return {sympy.Symbol(name): sympy.Integer(v) for name, v in self.values}


def random_point(family: Family, seed: int = 0, prime: int = PRIMES[0]) -> Point:
    """d and the invariants drawn from a seeded RNG: the same seed gives the same point."""
    rng = random.Random(f"{family.name}:{seed}:{prime}")
    draw = lambda: rng.randrange(2, prime - 1)  # noqa: E731 - a two-line helper reads better inline
    return Point(prime, draw(), tuple((name, draw()) for name in family.invariants))


def given_point(family: Family, values: dict[str, int], prime: int = PRIMES[0]) -> Point:
    missing = [name for name in ("d", *family.invariants) if name not in values]
    if missing:
        raise ValueError(f"point: missing values for {', '.join(missing)}")
    return Point(prime, values["d"] % prime, tuple((n, values[n] % prime) for n in family.invariants))


def modular(expr: sympy.Expr, point: Point, substitution: dict | None = None) -> int:
    """The value of a rational expression in the invariants at the point, modulo its prime."""
    value = sympy.Rational(expr.xreplace(substitution or point.substitution()))
    p = point.prime
    if value.q % p == 0:
        raise BadPoint(f"denominator of {expr} vanishes at this point mod {p}")
    return value.p * pow(value.q, -1, p) % p
