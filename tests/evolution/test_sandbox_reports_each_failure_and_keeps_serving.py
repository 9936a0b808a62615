"""Every way a rule can fail at run time becomes a failed Outcome with a clear reason, and the very next
evaluation in the same process still works."""

import numpy as np
import pytest

from evolution.sandbox import Limits, SeedTable, run
from tests.evolution.rules import keep

TABLE = SeedTable(np.arange(40).reshape(20, 2) % 7, ("r", "s"), {"s_top": 3})
GOOD = "def keep(seed):\n    return seed.r <= 3 and seed.s <= 2\n"
FAST = Limits(cpu_seconds=0.5, wall_seconds=5, memory_bytes=64 * 2**20)
WALL = Limits(cpu_seconds=30, wall_seconds=0.5)  # the wall clock runs out first
LOOP = keep("while True:\n    pass")
RAISES_AT_DEFINITION = "X = 1 // 0\n" + keep("return True")
RECURSES_IN_A_HELPER = "def f(x):\n    return f(x + 1)\n" + keep("return f(0)")
# An exception's whole reason: the line, the error and its message, and the first seed it happened on.
ZERO_DIVISION = "line 2: ZeroDivisionError: integer division or modulo by zero (seed 0: r=0, s=1)"


def case(name, source, failure, words, limits=FAST):
    """A rule that fails as `failure`, with `words` in the reason."""
    return pytest.param(source, limits, failure, words, id=name)


FAILURES = [
    case("infinite loop", LOOP, "cpu_limit", "0.5 s of CPU"),
    case("slow beyond the wall clock", LOOP, "timeout", "0.5 s of wall-clock", WALL),
    case("memory bomb", keep("x = [0] * 10**9\nreturn True"), "memory", "64 MiB"),
    case("slow memory bomb", keep("x = [0]\nwhile True:\n    x = x + x"), "memory", "memory limit"),
    case("huge integer", keep("return 7**10**9 > 0"), "cpu_limit", "CPU time"),
    case("exception", keep("return 1 // (seed.r - seed.r) > 0"), "exception", ZERO_DIVISION),
    case("exception at definition", RAISES_AT_DEFINITION, "exception", "line 1: ZeroDivisionError"),
    case("unknown name", keep("return foo > 1"), "exception", "NameError"),
    case("index error", keep("return seed.indices[3] > 0"), "exception", "IndexError"),
    case("recursion bomb", keep("return keep(seed)"), "exception", "RecursionError"),
    case("helper recursion", RECURSES_IN_A_HELPER, "exception", "line 2: RecursionError"),
    case("returns an int", keep("return seed.r"), "bad_return", "keep returned int"),
    case("returns None", keep("pass"), "bad_return", "keep returned NoneType for seed 0"),
    case("returns a list", keep("return [True]"), "bad_return", "list"),
    case("returns a float", keep("return 1.0"), "bad_return", "float"),
    case(
        "returns a tuple late",
        keep("return (1,) if seed.r == 6 else True"),
        "bad_return",
        "tuple for seed 3 (r=6, s=0)",
    ),
]


@pytest.mark.parametrize(("source", "limits", "failure", "words"), FAILURES)
def test_each_failure_is_reported_and_the_next_rule_still_works(source, limits, failure, words):
    outcome = run(source, TABLE, limits)
    assert (outcome.ok, outcome.failure, outcome.selection) == (False, failure, None)
    assert outcome.reason.startswith(f"{failure}: ")
    assert words in outcome.reason
    after = run(GOOD, TABLE, fast_path=False)
    assert after.ok
    assert after.selection.tolist() == ((TABLE.features[:, 0] <= 3) & (TABLE.features[:, 1] <= 2)).tolist()


def test_a_rule_that_keeps_everything_is_fine():
    outcome = run("def keep(seed):\n    return 1\n", TABLE)
    assert outcome.ok and outcome.selection.all() and outcome.selection.shape == (20,)
