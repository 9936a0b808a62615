"""Algebraic expressions of a family file, read by a small bounded grammar that never evaluates Python.

A family file is data someone may send us. sympy's own parser evaluates Python, so an expression that chains
attributes (``m1.__class__...``) could run code; this module reads the text itself and builds sympy objects
directly (Integer, Symbol and the arithmetic operators), so nothing but arithmetic can come out of it.

Grammar (precedence and associativity as in Python, with ``^`` for the power)::

    expression := term (("+" | "-") term)*
    term       := factor (("*" | "/") factor)*
    factor     := ("+" | "-")* power              -- so -a^2 is -(a^2)
    power      := atom ["^" exponent]
    atom       := INTEGER | NAME | "(" expression ")"
    exponent   := [sign] INTEGER | "(" [sign] INTEGER ")"

Bounds, each refused with a reason (and the column where it helps):

- at most MAX_EXPRESSION characters; parentheses nested at most MAX_DEPTH deep;
- integers of at most MAX_DIGITS digits; no floating-point numbers (exact rationals only: ``3/2``);
- an exponent is an integer literal from -MAX_EXPONENT to MAX_EXPONENT. A negative exponent is allowed because
  ``m1^-1`` is the rational function ``1/m1``, which ``/`` can write anyway. ``a^b^c`` and symbolic
  exponents are refused, so no tower can be written;
- the expression multiplied out has at most MAX_TERMS terms and numbers of at most MAX_BITS bits (upper
  bounds computed before sympy does any work), so ``((9^16)^16)^16`` or ``(a+b+c+d+e)^16`` cannot burn CPU;
- division by zero (``1/0``, ``1/(m1-m1)``, ``0^-1``).

Only names in the table given by the caller are symbols; everything else is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NoReturn

import sympy

MAX_EXPRESSION = 400
MAX_DEPTH = 50
MAX_DIGITS = 12
MAX_EXPONENT = 16
MAX_TERMS = 1000
MAX_BITS = 4096

# Every character a well-formed or plausibly mistyped expression may hold; anything else (quotes, brackets,
# commas, unicode look-alikes, control characters) is refused before tokenizing.
_ALPHABET = re.compile(r"[A-Za-z0-9_+\-*/^(). \t\r\n]")
_TOKEN = re.compile(
    r"(?P<space>[ \t\r\n]+)"
    r"|(?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"|(?P<op>\*\*|[-+*/^().])"
)


class ExpressionError(ValueError):
    """Text outside the grammar or its bounds; the message is the reason (the caller names the field)."""


@dataclass(frozen=True)
class _Token:
    kind: str  # "number", "name", "op" or "end"
    text: str
    column: int  # 1-based, for messages


@dataclass(frozen=True)
class _Node:
    """A parsed subexpression and upper bounds on what multiplying it out costs."""

    expr: sympy.Expr
    terms: int  # terms of the expanded form (numerator and denominator together)
    bits: int  # log2 of the sum of the absolute values of its coefficients
    degree: int  # total degree (numerator plus denominator)
    names: frozenset[str]
    polynomial: bool


def parse(text: str, symbols: dict[str, sympy.Symbol]) -> sympy.Expr:
    """The sympy expression `text` denotes, with `symbols` as the only names; ExpressionError otherwise."""
    if not isinstance(text, str) or not text.strip():
        raise ExpressionError("expected a non-empty expression string")
    if len(text) > MAX_EXPRESSION:
        raise ExpressionError(f"expression longer than {MAX_EXPRESSION} characters")
    _refuse_foreign_characters(text)
    return _Parser(text, _tokens(text, symbols), symbols).parse()


def _refuse_foreign_characters(text: str) -> None:
    for i, char in enumerate(text):
        if not _ALPHABET.fullmatch(char):
            raise ExpressionError(
                f"character {char!r} (U+{ord(char):04X}) is not allowed (column {i + 1}) in {text!r}"
            )


def _tokens(text: str, symbols: dict[str, sympy.Symbol]) -> list[_Token]:
    """Split into tokens, refusing floats, long numbers, `**` and unknown names in the order they appear."""
    tokens, i = [], 0
    while i < len(text):
        match = _TOKEN.match(text, i)
        assert match is not None  # the alphabet check leaves only characters some group matches
        kind, lexeme, column = match.lastgroup, match.group(), i + 1
        i = match.end()
        if kind == "space":
            continue
        if kind == "number":
            _check_number(lexeme, text)
        elif kind == "name" and lexeme not in symbols:
            raise ExpressionError(f"unknown symbol {lexeme} in {text!r}")
        elif lexeme == "**":
            raise ExpressionError(f"'**' at column {column}: write powers with ^ in {text!r}")
        # A stray "." is left for the parser to refuse: in `m1.__class__` the unknown name says more.
        tokens.append(_Token(kind, lexeme, column))
    tokens.append(_Token("end", "", len(text) + 1))
    return tokens


def _check_number(lexeme: str, text: str) -> None:
    if not lexeme.isdigit():
        raise ExpressionError(f"floating-point number {lexeme} in {text!r}; write exact rationals like 3/2")
    if len(lexeme) > MAX_DIGITS:
        raise ExpressionError(f"number with more than {MAX_DIGITS} digits in {text!r}")


class _Parser:
    """Recursive descent; each level of parentheses costs a few Python frames, capped by MAX_DEPTH."""

    def __init__(self, text: str, tokens: list[_Token], symbols: dict[str, sympy.Symbol]):
        self.text = text
        self.tokens = tokens
        self.symbols = symbols
        self.at = 0
        self.depth = 0

    def parse(self) -> sympy.Expr:
        node = self.expression()
        if self.peek().kind != "end":
            self.fail("an operator (+ - * / ^) or the end")
        return node.expr

    # Token access -------------------------------------------------------------------------------------
    def peek(self) -> _Token:
        return self.tokens[self.at]

    def take(self) -> _Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def accept(self, *ops: str) -> _Token | None:
        token = self.peek()
        if token.kind == "op" and token.text in ops:
            return self.take()
        return None

    def fail(self, expected: str, token: _Token | None = None) -> NoReturn:
        token = token or self.peek()
        found = "the end" if token.kind == "end" else repr(token.text)
        raise ExpressionError(
            f"expected {expected} at column {token.column}, found {found}, in {self.text!r}"
        )

    # Grammar ------------------------------------------------------------------------------------------
    def expression(self) -> _Node:
        node = self.term()
        while op := self.accept("+", "-"):
            node = _add(node, self.term(), op.text == "-", op, self.text)
        return node

    def term(self) -> _Node:
        node = self.factor()
        while op := self.accept("*", "/"):
            right = self.factor()
            node = (
                _divide(node, right, op, self.text)
                if op.text == "/"
                else _multiply(node, right, op, self.text)
            )
        return node

    def factor(self) -> _Node:
        negative = False
        while op := self.accept("+", "-"):  # a loop, not recursion: "------m1" costs no stack
            negative ^= op.text == "-"
        node = self.power()
        return _negate(node) if negative else node

    def power(self) -> _Node:
        base = self.atom()
        caret = self.accept("^")
        if caret is None:
            return base
        node = _power(base, self.exponent(), caret, self.text)
        if self.peek().text == "^":
            raise ExpressionError(
                f"a power of a power (column {self.peek().column}) is not allowed; "
                f"write one integer exponent, in {self.text!r}"
            )
        return node

    def exponent(self) -> int:
        parenthesised = self.accept("(") is not None
        sign = self.accept("+", "-")
        token = self.take()
        if token.kind != "number":
            self.fail(f"an integer exponent from -{MAX_EXPONENT} to {MAX_EXPONENT}", token)
        if parenthesised and self.accept(")") is None:
            self.fail(f"')' closing the exponent (a single integer from -{MAX_EXPONENT} to {MAX_EXPONENT})")
        value = -int(token.text) if sign is not None and sign.text == "-" else int(token.text)
        if abs(value) > MAX_EXPONENT:
            raise ExpressionError(
                f"exponent too large: {value} at column {token.column} "
                f"(at most {MAX_EXPONENT} in absolute value) in {self.text!r}"
            )
        return value

    def atom(self) -> _Node:
        token = self.take()
        if token.kind == "number":
            value = int(token.text)
            return _Node(sympy.Integer(value), 1, value.bit_length(), 0, frozenset(), True)
        if token.kind == "name":
            return _Node(self.symbols[token.text], 1, 0, 1, frozenset([token.text]), True)
        if token.text != "(":
            self.fail("a number, a symbol or '('", token)
        if self.depth >= MAX_DEPTH:
            raise ExpressionError(
                f"parentheses nested deeper than {MAX_DEPTH} (column {token.column}) in {self.text!r}"
            )
        self.depth += 1
        node = self.expression()
        self.depth -= 1
        if self.accept(")") is None:
            self.fail(f"')' to close the '(' of column {token.column}")
        return node


# Combining nodes: bounds are checked first, so that a costly operation is refused before sympy runs it.
def _add(left: _Node, right: _Node, subtract: bool, op: _Token, text: str) -> _Node:
    names, polynomial = left.names | right.names, left.polynomial and right.polynomial
    bits, degree = max(left.bits, right.bits) + 1, max(left.degree, right.degree)
    terms = _bounded(left.terms + right.terms, bits, degree, names, polynomial, op, text)
    expr = left.expr - right.expr if subtract else left.expr + right.expr
    return _Node(expr, terms, bits, degree, names, polynomial)


def _multiply(left: _Node, right: _Node, op: _Token, text: str) -> _Node:
    names, polynomial = left.names | right.names, left.polynomial and right.polynomial
    bits, degree = left.bits + right.bits, left.degree + right.degree
    terms = _bounded(left.terms * right.terms, bits, degree, names, polynomial, op, text)
    return _Node(left.expr * right.expr, terms, bits, degree, names, polynomial)


def _divide(left: _Node, right: _Node, op: _Token, text: str) -> _Node:
    names = left.names | right.names
    # Dividing by a number keeps a polynomial a polynomial; by anything else it makes a rational function.
    polynomial = left.polynomial and right.polynomial and not right.names
    bits, degree = left.bits + right.bits, left.degree + right.degree
    terms = _bounded(left.terms * right.terms, bits, degree, names, polynomial, op, text)
    if _is_zero(right):  # right already obeys the bounds, so multiplying it out is cheap
        raise ExpressionError(f"division by zero at column {op.column} in {text!r}")
    return _Node(left.expr / right.expr, terms, bits, degree, names, polynomial)


def _negate(node: _Node) -> _Node:
    return _Node(-node.expr, node.terms, node.bits, node.degree, node.names, node.polynomial)


def _power(base: _Node, n: int, op: _Token, text: str) -> _Node:
    if n < 0 and _is_zero(base):
        raise ExpressionError(
            f"division by zero (a negative power of zero) at column {op.column} in {text!r}"
        )
    k = abs(n)
    polynomial = base.polynomial and (n >= 0 or not base.names)
    bits, degree = base.bits * k, base.degree * k
    # (a sum of T terms)^k has at most C(T + k - 1, k) terms: the monomials of degree k in T unknowns.
    terms = _bounded(_binomial(base.terms + k - 1, k), bits, degree, base.names, polynomial, op, text)
    return _Node(base.expr**n, terms, bits, degree, base.names, polynomial)


def _bounded(terms: int, bits: int, degree: int, names, polynomial: bool, op: _Token, text: str) -> int:
    """The term bound, tightened where possible, after refusing what would be too large to multiply out."""
    if polynomial:  # a polynomial has at most C(V + D, D) monomials of degree <= D in V unknowns
        terms = min(terms, _binomial(len(names) + degree, min(len(names), degree)))
    if terms > MAX_TERMS:
        raise ExpressionError(
            f"too large when multiplied out (more than {MAX_TERMS} terms) at column {op.column} in {text!r}"
        )
    if bits > MAX_BITS:
        raise ExpressionError(f"numbers too large (over {MAX_BITS} bits) at column {op.column} in {text!r}")
    return terms


def _binomial(n: int, k: int) -> int:
    """C(n, k), but stops early with MAX_TERMS + 1 once it is larger: only the comparison matters."""
    value = 1
    for i in range(1, k + 1):
        value = value * (n - k + i) // i  # exact: a product of i consecutive integers is divisible by i!
        if value > MAX_TERMS:
            return MAX_TERMS + 1
    return value


def _is_zero(node: _Node) -> bool:
    # Multiplying out is affordable here (the bounds hold) and decides zero for every polynomial; a rational
    # function that is zero only after putting it over a common denominator is not caught (that could be
    # costly), but sympy already cancels the plain cases such as 1/m1 - 1/m1.
    return node.expr == 0 or sympy.expand(node.expr) == 0
