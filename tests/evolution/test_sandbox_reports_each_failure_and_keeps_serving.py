"""Every way a rule can fail at run time becomes a failed Outcome with a clear reason, and the very next
evaluation in the same process still works."""

import numpy as np
import pytest

from evolution.sandbox import Limits, SeedTable, run

TABLE = SeedTable(np.arange(40).reshape(20, 2) % 7, ("r", "s"), {"s_top": 3})
GOOD = "def keep(seed):\n    return seed.r <= 3 and seed.s <= 2\n"
FAST = Limits(cpu_seconds=0.5, wall_seconds=5, memory_bytes=64 * 2**20)

FAILURES = [
    # (name, source, limits, failure, words in the reason)
    ("infinite loop", "def keep(seed):\n    while True:\n        pass\n", FAST, "cpu_limit", "0.5 s of CPU"),
    (
        "slow beyond the wall clock",
        "def keep(seed):\n    while True:\n        pass\n",
        Limits(cpu_seconds=30, wall_seconds=0.5),
        "timeout",
        "0.5 s of wall-clock",
    ),
    ("memory bomb", "def keep(seed):\n    x = [0] * 10**9\n    return True\n", FAST, "memory", "64 MiB"),
    (
        "slow memory bomb",
        "def keep(seed):\n    x = [0]\n    while True:\n        x = x + x\n",
        FAST,
        "memory",
        "memory limit",
    ),
    ("huge integer", "def keep(seed):\n    return 7**10**9 > 0\n", FAST, "cpu_limit", "CPU time"),
    (
        "exception",
        "def keep(seed):\n    return 1 // (seed.r - seed.r) > 0\n",
        FAST,
        "exception",
        "line 2: ZeroDivisionError: integer division or modulo by zero (seed 0: r=0, s=1)",
    ),
    (
        "exception at definition",
        "X = 1 // 0\ndef keep(seed):\n    return True\n",
        FAST,
        "exception",
        "line 1: ZeroDivisionError",
    ),
    ("unknown name", "def keep(seed):\n    return foo > 1\n", FAST, "exception", "NameError"),
    ("index error", "def keep(seed):\n    return seed.indices[3] > 0\n", FAST, "exception", "IndexError"),
    ("recursion bomb", "def keep(seed):\n    return keep(seed)\n", FAST, "exception", "RecursionError"),
    (
        "helper recursion",
        "def f(x):\n    return f(x + 1)\ndef keep(seed):\n    return f(0)\n",
        FAST,
        "exception",
        "line 2: RecursionError",
    ),
    ("returns an int", "def keep(seed):\n    return seed.r\n", FAST, "bad_return", "keep returned int"),
    ("returns None", "def keep(seed):\n    pass\n", FAST, "bad_return", "keep returned NoneType for seed 0"),
    ("returns a list", "def keep(seed):\n    return [True]\n", FAST, "bad_return", "list"),
    ("returns a float", "def keep(seed):\n    return 1.0\n", FAST, "bad_return", "float"),
    (
        "returns a tuple late",
        "def keep(seed):\n    return (1,) if seed.r == 6 else True\n",
        FAST,
        "bad_return",
        "tuple for seed 3 (r=6, s=0)",
    ),
]


@pytest.mark.parametrize(
    ("source", "limits", "failure", "words"), [f[1:] for f in FAILURES], ids=[f[0] for f in FAILURES]
)
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
