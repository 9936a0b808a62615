"""A candidate GP cannot breed is refused with OutsideGrammar and a reason a person can act on."""

import pytest

from evolution.gp import Limits, OutsideGrammar, parse

REFUSED = [
    ("not python", "def keep(seed) return True", "not valid Python"),
    ("an import", "import math\ndef keep(seed):\n    return True\n", "imports are outside the grammar"),
    ("two functions", "def f(x):\n    return x\ndef keep(seed):\n    return True\n", "found 2 function(s)"),
    ("module-level code", "LIMIT = 3\ndef keep(seed):\n    return True\n", "and Assign"),
    ("no function", "keep = lambda seed: True\n", "found 0 function(s)"),
    ("two parameters", "def keep(seed, pool):\n    return True\n", "exactly one parameter"),
    ("a decorator", "@cache\ndef keep(seed):\n    return True\n", "decorators"),
    ("the sector", "def keep(seed):\n    return seed.sector < 32\n", "seed.sector is family-specific"),
    ("the indices", "def keep(seed):\n    return seed.indices[6] >= -2\n", "seed.indices is family-specific"),
    ("an unknown feature", "def keep(seed):\n    return seed.rank < 3\n", "seed.rank is not a feature"),
    ("multiplication", "def keep(seed):\n    return seed.s * 2 <= seed.s_top\n", "the operator Mult"),
    ("a float", "def keep(seed):\n    return seed.s <= 2.5\n", "the constant 2.5"),
    ("a huge constant", "def keep(seed):\n    return seed.s <= 10**9\n", "the operator Pow"),
    ("an unknown call", "def keep(seed):\n    return abs(seed.d) == 0\n", "the call abs"),
    ("min of one", "def keep(seed):\n    return min(seed.d) == 0\n", "the call min"),
    ("a loop", "def keep(seed):\n    for i in range(3):\n        pass\n    return True\n", "For statements"),
    ("membership", "def keep(seed):\n    return seed.t in (4, 5)\n", "the comparison In"),
    ("an integer result", "def keep(seed):\n    return seed.s_top - seed.s\n",
     "the returned value must be a condition"),
    ("and of integers", "def keep(seed):\n    return seed.d and seed.s\n",
     "an operand of `and` must be a condition"),
    ("a comparison of conditions", "def keep(seed):\n    return (seed.d == 0) == True\n",
     "a compared value must be an integer"),
    ("an unknown name", "def keep(seed):\n    return seed.s <= S\n", "unknown name 'S'"),
    ("the seed as a value", "def keep(seed):\n    return seed == 0\n", "'seed' itself is not a value"),
    ("another object", "def keep(seed):\n    return math.pi < seed.t\n", "only the features of 'seed'"),
    ("a path without return", "def keep(seed):\n    if seed.d == 0:\n        return True\n",
     "a path through the function returns nothing"),
    ("an integer conditional", "def keep(seed):\n    return seed.s <= (1 if seed.d else 2)\n",
     "the test of a conditional expression must be a condition"),
]


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
    assert len(parse(source, limits=Limits(height=12, nodes=50))) == 47


@pytest.mark.parametrize(("source", "reason"), [
    ("def keep(seed):\n    return " + " and ".join(["seed.s <= 3"] * 3000) + "\n", "far too long"),
    ("def keep(seed):\n    return " + "not " * 900 + "True\n", "not readable as a rule"),
    ("def keep(seed):\x00\n    return True\n", "not valid Python"),
], ids=["huge", "deeply nested", "null byte"])
def test_pathological_sources_are_refused_rather_than_crashing(source, reason):
    with pytest.raises(OutsideGrammar, match=reason):
        parse(source)
