"""Every limit is a field of Limits, checked when it is made, and each one is the one the child obeys."""

import numpy as np
import pytest

from evolution.sandbox import Limits, SeedTable, run

TABLE = SeedTable(np.arange(6).reshape(3, 2), ("r", "s"), {})


def test_the_defaults_suit_a_laptop():
    limits = Limits()
    assert (limits.cpu_seconds, limits.wall_seconds, limits.memory_bytes) == (5, 10, 512 * 2**20)
    assert limits.max_source_bytes == 20_000


@pytest.mark.parametrize(
    "field", ["cpu_seconds", "wall_seconds", "memory_bytes", "max_source_bytes", "max_nodes"]
)
def test_a_limit_must_be_positive(field):
    with pytest.raises(ValueError, match=field):
        Limits(**{field: 0})


def test_the_memory_limit_is_the_one_given():
    source = "def keep(seed):\n    x = [0] * (20 * 2**20)\n    return True\n"  # ~160 MB
    assert run(source, TABLE, Limits(memory_bytes=64 * 2**20)).failure == "memory"
    assert run(source, TABLE, Limits(memory_bytes=400 * 2**20)).ok


def test_the_cpu_limit_is_the_one_given():
    source = "def keep(seed):\n    n = 0\n    for i in range(2 * 10**6):\n        n += 1\n    return True\n"
    outcome = run(source, TABLE, Limits(cpu_seconds=0.05))
    assert outcome.failure == "cpu_limit" and "0.05 s" in outcome.reason
    assert run(source, TABLE, Limits(cpu_seconds=5)).ok


def test_the_recursion_limit_is_the_one_given():
    source = (
        "def depth(n):\n    return 0 if n == 0 else 1 + depth(n - 1)\n\n"
        "def keep(seed):\n    return depth(300) > 0\n"
    )
    assert run(source, TABLE, Limits(recursion_limit=100)).failure == "exception"
    assert run(source, TABLE, Limits(recursion_limit=1000)).ok
