"""The family expression parser, fuzzed: any text gives a sympy expression in the declared symbols or a
FamilyError, never another exception; and any expression tree, written out, reads back as its own value.

The values of the trees are computed from the trees with sympy's operators, without going through any text,
so a parser that got precedence, associativity or a sign wrong would disagree with them.
"""

import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from solver.family import FamilyError, parse_expression

FIELD = "scalar_products['p1*p2']"
NAMES = ["m1", "m2", "s", "t"]
TABLE = {name: sympy.Symbol(name) for name in NAMES}
DECLARED = set(TABLE.values())

GRAMMAR = "m12st0123456789+-*/^() "
HOSTILE = "._'\"[]{},;:@%!~`\\\x00\t\n\u00a0\u043c\u0661\uff4deE"
PIECES = [*NAMES, "(", ")", "^", "+", "-", "*", "/", "**", " ", "0", "2", "16", "17", "-1", ".", "1.5", "_m"]


def check_any_text(text: str) -> None:
    try:
        value = parse_expression(text, TABLE, FIELD)
    except FamilyError as refused:
        assert refused.field == FIELD and refused.reason
        return
    assert isinstance(value, sympy.Expr)
    assert value.free_symbols <= DECLARED
    assert not value.has(sympy.zoo, sympy.nan, sympy.oo, sympy.Float)


@settings(max_examples=300)
@given(st.text(alphabet=GRAMMAR + HOSTILE, max_size=60))
def test_text_in_the_grammar_alphabet_and_hostile_characters(text):
    check_any_text(text)


@settings(max_examples=150)
@given(st.text(max_size=40))
def test_arbitrary_unicode_text(text):
    check_any_text(text)


@settings(max_examples=300)
@given(st.lists(st.sampled_from(PIECES), max_size=60).map("".join))
def test_sequences_of_tokens(text):
    check_any_text(text)


# Expression trees: ("int", n), ("sym", name), (op, left, right) for + - * /, ("neg", x), ("^", x, k).
INTEGERS = st.integers(0, 40).map(lambda n: ("int", n))
LEAVES = st.one_of(INTEGERS, st.sampled_from(NAMES).map(lambda name: ("sym", name)))


def _branches(children):
    return st.one_of(
        st.tuples(st.sampled_from(["+", "-", "*", "/"]), children, children),
        st.tuples(st.just("neg"), children),
        st.tuples(st.just("^"), children, st.integers(-3, 4)),
    )


TREES = st.recursive(LEAVES, _branches, max_leaves=10)
PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "neg": 3, "^": 4, "int": 5, "sym": 5}


def value(tree) -> sympy.Expr:
    """The tree's value, built from the tree itself (1/0 gives zoo, which the parser must refuse)."""
    kind = tree[0]
    if kind == "int":
        return sympy.Integer(tree[1])
    if kind == "sym":
        return TABLE[tree[1]]
    if kind == "neg":
        return -value(tree[1])
    if kind == "^":
        return value(tree[1]) ** tree[2]
    left, right = value(tree[1]), value(tree[2])
    return {"+": left + right, "-": left - right, "*": left * right, "/": left / right}[kind]


def render(tree, minimal: bool, spaced: bool) -> str:
    """Text for the tree: every subexpression in parentheses, or only those that precedence needs."""
    kind, gap = tree[0], " " if spaced else ""
    if kind in ("int", "sym"):
        return str(tree[1])

    def operand(sub, tighter: bool) -> str:
        text = render(sub, minimal, spaced)
        # The left operand needs parentheses when it binds more loosely, the right one also when equally
        # (a - (b - c)); a power's base must be an atom, and the grammar has no power of a power.
        loose = PRECEDENCE[sub[0]] < PRECEDENCE[kind] + (1 if tighter else 0)
        return f"({text})" if not minimal or loose else text

    if kind == "neg":
        return f"-{operand(tree[1], False)}"
    if kind == "^":
        return f"{operand(tree[1], True)}{gap}^{gap}{tree[2]}"
    return f"{operand(tree[1], False)}{gap}{kind}{gap}{operand(tree[2], True)}"


def divisors(tree):
    """Every subtree the tree divides by: right operands of / and bases of negative powers."""
    kind = tree[0]
    if kind == "/":
        yield tree[2]
    if kind == "^" and tree[2] < 0:
        yield tree[1]
    for sub in tree[1:]:
        if isinstance(sub, tuple):
            yield from divisors(sub)


def has_zero_divisor(tree) -> bool:
    return any(sympy.cancel(value(divisor)) == 0 for divisor in divisors(tree))


@settings(max_examples=250)
@given(TREES, st.booleans(), st.booleans())
def test_a_written_tree_reads_back_as_its_value(tree, minimal, spaced):
    text = render(tree, minimal, spaced)
    try:
        parsed = parse_expression(text, TABLE, FIELD)
    except FamilyError as refused:
        # Only the documented bounds may refuse a tree of the grammar.
        if "division by zero" in refused.reason:
            assert has_zero_divisor(tree), text
        else:
            assert "too large" in refused.reason, (text, refused.reason)
        return
    expected = value(tree)
    assert not expected.has(sympy.zoo, sympy.nan), text
    assert parsed == expected or sympy.cancel(parsed - expected) == 0, (text, parsed, expected)
