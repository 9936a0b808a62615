"""The static policy refuses, with the line and the construct, everything outside its whitelist."""

import numpy as np
import pytest

from evolution.sandbox import Limits, Refused, SeedTable, check, run

REFUSED = [
    # (source, line, words the reason must contain)
    ("import os\ndef keep(seed):\n    return True\n", 1, "import statements"),
    ("def keep(seed):\n    from os import system\n    return True\n", 2, "import statements"),
    ("def keep(seed):\n    return ().__class__.__bases__[0].__subclasses__()\n", 2, "__subclasses__"),
    ("def keep(seed):\n    return seed.__class__ is None\n", 2, "__class__"),
    ("def keep(seed):\n    return seed._asdict() == 1\n", 2, "_asdict"),
    ("def keep(seed):\n    x = __import__\n    return True\n", 2, "__import__"),
    ("def keep(seed):\n    return eval('1')\n", 2, "eval"),
    ("def keep(seed):\n    exec(seed)\n    return True\n", 2, "exec"),
    ("def keep(seed):\n    f = open\n    return True\n", 2, "open"),
    ("def keep(seed):\n    return getattr(seed, 't') > 1\n", 2, "getattr"),
    ("def keep(seed):\n    return len(globals()) > 1\n", 2, "globals"),
    ("def keep(seed):\n    return compile is None\n", 2, "compile"),
    ("def keep(seed):\n    print(seed)\n    return True\n", 2, "print"),
    ("def keep(seed):\n    return (lambda: 1)()\n", 2, "lambda"),
    ("class A:\n    pass\ndef keep(seed):\n    return True\n", 1, "class definitions"),
    ("def keep(seed):\n    with seed:\n        return True\n", 2, "with statements"),
    (
        "def keep(seed):\n    try:\n        return True\n    except:\n        return False\n",
        2,
        "try statements",
    ),
    ("def keep(seed):\n    yield True\n", 2, "yield"),
    ("async def keep(seed):\n    return True\n", 1, "async functions"),
    ("X = 1\ndef keep(seed):\n    global X\n    return True\n", 3, "global statements"),
    ("def keep(seed):\n    raise ValueError\n", 2, "raise statements"),
    ("def keep(seed):\n    return seed.foo > 1\n", 2, "unknown attribute foo"),
    ("def keep(seed):\n    return seed.t.bit_length() > 1\n", 2, "calling the method bit_length"),
    ("def keep(seed):\n    return 'x' in 'xy'\n", 2, "str constants"),
    ("def keep(seed):\n    def inner(x):\n        return x\n    return inner(seed)\n", 2, "top level"),
    ("def keep(seed):\n    seed.t = 3\n    return True\n", 2, "only plain names can be assigned"),
    ("def keep(seed):\n    max = 3\n    return True\n", 2, "max may not be reassigned"),
    ("def keep(seed):\n    return f'{seed}' == ''\n", 2, "f-strings"),
    ("def keep(seed, other):\n    return True\n", 1, "exactly one argument"),
    ("def keep(seed=1):\n    return True\n", 1, "plain positional"),
    ("@min\ndef keep(seed):\n    return True\n", 2, "decorators"),
    ("def keep(seed):\n    return [*seed] == []\n", 2, "starred"),
    ("def keep(seed):\n    return (x := 1) == 1\n", 2, ":="),
    ("def keep(seed):\n    return {1: 2}[1] == 2\n", 2, "dict displays"),
    ("def keep(seed)\n    return True\n", 1, "syntax error"),
]


@pytest.mark.parametrize(("source", "line", "words"), REFUSED)
def test_it_refuses_with_the_line_and_the_construct(source, line, words):
    with pytest.raises(Refused) as refusal:
        check(source)
    assert refusal.value.line == line
    assert str(refusal.value).startswith(f"line {line}: ")
    assert words in str(refusal.value)


@pytest.mark.parametrize(
    ("source", "words"),
    [
        ("X = 1\n", "exactly one top-level function keep"),
        ("def keep(seed):\n    return True\ndef keep(seed):\n    return False\n", "exactly one"),
        ("def keep(seed):\n    return True\n" + "#" * 20_000, "bytes"),
        ("def keep(seed):\n    return " + "+".join(["1"] * 2100) + "\n", "syntax nodes"),
        (b"def keep(seed): return True", "source text"),
    ],
)
def test_it_refuses_programs_of_the_wrong_shape_or_size(source, words):
    with pytest.raises(Refused, match=words):
        check(source)


ACCEPTED = [
    "def keep(seed):\n    return seed.r <= 6 and seed.s <= 3\n",
    '"""A rule."""\nR = 6\n\ndef small(x):\n    """Helper."""\n    return x <= R\n\n'
    "def keep(seed):\n    return small(seed.r) and sum(1 for i in seed.indices if i > 0) == seed.t\n",
    "def keep(seed):\n    total = 0\n    for i, a in enumerate(sorted(seed.indices, key=abs)):\n"
    "        if a > 1:\n            total += a - 1\n        elif a < 0:\n            continue\n"
    "    while total > 10:\n        total -= 1\n"
    "    return total <= seed.s_top - 1 if seed.d == 0 else False\n",
]


@pytest.mark.parametrize("source", ACCEPTED)
def test_it_accepts_ordinary_rules_with_helpers_loops_and_docstrings(source):
    check(source)


def test_a_refusal_becomes_an_outcome_with_a_clear_reason():
    table = SeedTable(np.zeros((4, 1), dtype=int), ("t",), {})
    outcome = run("import os\ndef keep(seed):\n    return True\n", table)
    assert (outcome.ok, outcome.failure, outcome.selection) == (False, "refused", None)
    assert outcome.reason == "refused: line 1: import statements are not allowed"


def test_the_size_limits_come_from_the_limits():
    table = SeedTable(np.zeros((4, 1), dtype=int), ("t",), {})
    source = "def keep(seed):\n    return seed.t == 0\n" + "#" * 200
    assert run(source, table).ok
    assert run(source, table, Limits(max_source_bytes=100)).failure == "refused"
    assert run(source, table, Limits(max_nodes=5)).failure == "refused"


def test_attributes_follow_the_table_names():
    table = SeedTable(np.zeros((4, 2), dtype=int), ("t", "weight"), {"t_top": 1})
    assert run("def keep(seed):\n    return seed.weight == 0\n", table).ok
    outcome = run("def keep(seed):\n    return seed.r == 0\n", table)
    assert outcome.failure == "refused" and "unknown attribute r" in outcome.reason
