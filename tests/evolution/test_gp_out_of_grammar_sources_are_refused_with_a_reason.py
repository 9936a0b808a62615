"""A candidate GP cannot breed is refused with OutsideGrammar and a reason a person can act on."""

import pytest

from evolution.gp import OutsideGrammar, TreeLimits, parse
from tests.evolution.rules import keep

TRUE = keep("return True")
# Programs of a shape outside the grammar: (case, source, words of the reason).
PROGRAMS = [
    ("not python", "def keep(seed) return True", "not valid Python"),
    ("an import", "import math\n" + TRUE, "imports are outside the grammar"),
    ("two functions", "def f(x):\n    return x\n" + TRUE, "found 2 function(s)"),
    ("module-level code", "LIMIT = 3\n" + TRUE, "and Assign"),
    ("no function", "keep = lambda seed: True\n", "found 0 function(s)"),
    ("two parameters", "def keep(seed, pool):\n    return True\n", "exactly one parameter"),
    ("a decorator", "@cache\n" + TRUE, "decorators"),
    ("a loop", keep("for i in range(3):\n    pass\nreturn True"), "For statements"),
    ("a path without return", keep("if seed.d == 0:\n    return True"),
     "a path through the function returns nothing"),
]
# What keep returns, outside the grammar: (case, expression, words of the reason).
RETURNED = [
    ("the sector", "seed.sector < 32", "seed.sector is family-specific"),
    ("the indices", "seed.indices[6] >= -2", "seed.indices is family-specific"),
    ("an unknown feature", "seed.rank < 3", "seed.rank is not a feature"),
    ("multiplication", "seed.s * 2 <= seed.s_top", "the operator Mult"),
    ("a float", "seed.s <= 2.5", "the constant 2.5"),
    ("a huge constant", "seed.s <= 10**9", "the operator Pow"),
    ("an unknown call", "abs(seed.d) == 0", "the call abs"),
    ("min of one", "min(seed.d) == 0", "the call min"),
    ("membership", "seed.t in (4, 5)", "the comparison In"),
    ("an integer result", "seed.s_top - seed.s", "the returned value must be a condition"),
    ("and of integers", "seed.d and seed.s", "an operand of `and` must be a condition"),
    ("a comparison of conditions", "(seed.d == 0) == True", "a compared value must be an integer"),
    ("an unknown name", "seed.s <= S", "unknown name 'S'"),
    ("the seed as a value", "seed == 0", "'seed' itself is not a value"),
    ("another object", "math.pi < seed.t", "only the features of 'seed'"),
    ("an integer conditional", "seed.s <= (1 if seed.d else 2)",
     "the test of a conditional expression must be a condition"),
]
REFUSED = PROGRAMS + [(case, keep(f"return {expression}"), words) for case, expression, words in RETURNED]


@pytest.mark.parametrize(("source", "reason"), [case[1:] for case in REFUSED], ids=[c[0] for c in REFUSED])
def test_it_refuses_a_source_outside_the_grammar_and_says_why(source, reason):
    with pytest.raises(OutsideGrammar) as refused:
        parse(source)
    assert reason in refused.value.reason
    assert str(refused.value) == refused.value.reason


def test_the_reason_names_the_line():
    with pytest.raises(OutsideGrammar, match=r"^line 3: the operator Mult"):
        parse("def keep(seed):\n    budget = seed.s_top\n    return seed.s * 2 <= budget\n")


def test_a_program_over_the_limits_is_refused_as_too_large_to_breed():
    source = "def keep(seed):\n    return " + " and ".join(f"seed.s <= {i}" for i in range(12)) + "\n"
    with pytest.raises(OutsideGrammar, match="too large to breed"):
        parse(source)
    assert len(parse(source, limits=None)) == 12 * 3 + 11
    assert len(parse(source, limits=TreeLimits(height=12, nodes=50))) == 47


@pytest.mark.parametrize(("source", "reason"), [
    ("def keep(seed):\n    return " + " and ".join(["seed.s <= 3"] * 3000) + "\n", "far too long"),
    ("def keep(seed):\n    return " + "not " * 900 + "True\n", "not readable as a rule"),
    ("def keep(seed):\x00\n    return True\n", "not valid Python"),
], ids=["huge", "deeply nested", "null byte"])
def test_pathological_sources_are_refused_rather_than_crashing(source, reason):
    with pytest.raises(OutsideGrammar, match=reason):
        parse(source)
