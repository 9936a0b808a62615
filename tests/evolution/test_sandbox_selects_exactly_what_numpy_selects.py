"""Known rules select exactly what a direct numpy computation selects, on both paths (numpy fast path and the
child process), and the fast path agrees with the child on random programs of the GP grammar."""

import random

import numpy as np
import pytest

from evolution.sandbox import SeedTable, run, run_rule

NAMES = ("t", "r", "s", "d", "sector")
LAPORTA = "def keep(seed):\n    return seed.r <= 6 and seed.s <= 3\n"
KIRA3 = "def keep(seed):\n    return seed.d == 0 and seed.s <= seed.s_top - (seed.t_top - seed.t)\n"


def random_features(seed: int, n: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return np.column_stack(
        [
            rng.integers(1, 8, n),
            rng.integers(0, 10, n),
            rng.integers(0, 5, n),
            rng.integers(0, 3, n),
            rng.integers(1, 128, n),
        ]
    )


@pytest.mark.parametrize("fast_path", [True, False], ids=["vector", "process"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_laporta_and_kira3_select_what_numpy_selects(seed, fast_path):
    features = random_features(seed, 3000)
    t, r, s, d, _ = features.T
    context = {"t_top": 6, "r_top": 7, "s_top": 2}
    expected = {
        LAPORTA: (r <= 6) & (s <= 3),
        KIRA3: (d == 0) & (s <= context["s_top"] - (context["t_top"] - t)),
    }
    for source, selection in expected.items():
        outcome = run_rule(source, features, NAMES, context, fast_path=fast_path)
        assert outcome.ok and outcome.path == ("vector" if fast_path else "process")
        assert outcome.selection.dtype == bool and outcome.selection.shape == (3000,)
        assert np.array_equal(outcome.selection, selection)


def random_int(rng: random.Random, depth: int) -> str:
    if depth == 0 or rng.random() < 0.3:
        return rng.choice(
            [
                "seed.t",
                "seed.r",
                "seed.s",
                "seed.d",
                "seed.t_top",
                "seed.r_top",
                "seed.s_top",
                str(rng.randint(-3, 8)),
            ]
        )
    a, b = random_int(rng, depth - 1), random_int(rng, depth - 1)
    return rng.choice([f"({a} + {b})", f"({a} - {b})", f"min({a}, {b})", f"max({a}, {b}, 2)", f"-{a}"])


def random_bool(rng: random.Random, depth: int) -> str:
    if depth == 0 or rng.random() < 0.3:
        if rng.random() < 0.05:
            return rng.choice(["True", "False"])
        op = rng.choice(["<", "<=", "==", "!=", ">", ">="])
        chain = f" {rng.choice(['<', '<='])} {random_int(rng, 1)}" if rng.random() < 0.2 else ""
        return f"{random_int(rng, 2)} {op} {random_int(rng, 2)}{chain}"
    a, b = random_bool(rng, depth - 1), random_bool(rng, depth - 1)
    return rng.choice([f"({a} and {b})", f"({a} or {b})", f"not ({a})"])


def test_the_fast_path_agrees_with_the_child_on_random_gp_programs():
    rng = random.Random(7)
    table = SeedTable(random_features(3, 2000), NAMES, {"t_top": 6, "r_top": 7, "s_top": 2})
    for _ in range(40):
        source = f"def keep(seed):\n    return {random_bool(rng, 3)}\n"
        fast, slow = run(source, table), run(source, table, fast_path=False)
        assert fast.path == "vector" and slow.path == "process", source
        assert slow.ok and np.array_equal(fast.selection, slow.selection), source


@pytest.mark.parametrize(
    "expression",
    ["seed.r", "seed.r and seed.s <= 3", "seed.r * 2 <= 3", "1", "seed.indices == ()", "seed.r // 2 <= 3"],
)
def test_anything_outside_the_grammar_goes_through_the_child(expression):
    table = SeedTable(random_features(4, 50) % 2, NAMES, {"t_top": 6, "r_top": 7, "s_top": 2})
    outcome = run(f"def keep(seed):\n    return {expression}\n", table)
    assert outcome.path == "process"


def test_values_too_large_for_int64_go_through_the_child():
    features = np.array([[2**62, 0], [1, 1]])
    outcome = run_rule("def keep(seed):\n    return seed.t + seed.t > seed.r\n", features, ("t", "r"), {})
    assert outcome.path == "process" and outcome.selection.tolist() == [True, True]


def test_indices_and_context_reach_the_seed():
    indices = np.array([[1, 1, 0], [2, 1, -1], [1, 0, 0]])
    features = np.column_stack([(indices > 0).sum(1), indices.clip(0).sum(1)])
    source = (
        "def keep(seed):\n"
        "    dots = sum(a - 1 for a in seed.indices if a > 1)\n"
        "    return len(seed.indices) == 3 and seed.t + dots == seed.r and seed.t_top == 9\n"
    )
    outcome = run_rule(source, features, ("t", "r"), {"t_top": 9}, indices=indices)
    assert outcome.ok and outcome.selection.tolist() == [True, True, True]
    outcome = run_rule(
        "def keep(seed):\n    return seed.indices[2] < 0\n", features, ("t", "r"), {}, indices=indices
    )
    assert outcome.selection.tolist() == [False, True, False]


def test_an_empty_pool_gives_an_empty_selection():
    outcome = run_rule(LAPORTA, np.zeros((0, 5), dtype=int), NAMES, {}, fast_path=False)
    assert outcome.ok and outcome.selection.shape == (0,)
