"""Rules written by an LLM or a person parse into trees when they stay inside the grammar, in any style."""

import numpy as np
import pytest

from evolution.gp import KIRA3, KIRA3_FLOORED, evaluate, parse, render

KIRA3_STYLES = {
    "comments, docstring, annotations and another name": '''
        """Seeding rule proposed in round 3."""
        def priority_v2(seed: "Seed") -> bool:
            """Improved version of `priority_v1`."""
            # no dots, one rank less per missing line
            return seed.d == 0 and seed.s <= seed.s_top - (seed.t_top - seed.t)  # Kira-3
        ''',
    "redundant parentheses": """
        def keep(seed):
            return ((seed.d == 0) and (seed.s <= (seed.s_top - (seed.t_top - seed.t))))
        """,
    "another parameter name": """
        def keep(x):
            return x.d == 0 and x.s <= x.s_top - (x.t_top - x.t)
        """,
    "names assigned before the return": """
        def keep(seed):
            missing = seed.t_top - seed.t
            budget = seed.s_top - missing
            no_dots = seed.d == 0
            return no_dots and seed.s <= budget
        """,
}


@pytest.mark.parametrize("source", KIRA3_STYLES.values(), ids=KIRA3_STYLES.keys())
def test_style_does_not_change_the_parsed_kira3_rule(source):
    assert render(parse(source)) == KIRA3.source


def _random_features(seed: int, size: int = 400) -> dict:
    rng = np.random.default_rng(seed)
    return {name: rng.integers(0, 8, size) for name in ("t", "r", "s", "d", "t_top", "r_top", "s_top")}


SAME_AS_KIRA3 = {
    "comparisons the other way round": """
        def keep(seed):
            return 0 == seed.d and seed.s_top - (seed.t_top - seed.t) >= seed.s
        """,
    "guard clauses": """
        def keep(seed):
            if seed.d > 0:
                return False
            if seed.s > seed.s_top - (seed.t_top - seed.t):
                return False
            return True
        """,
    "if/else returning conditions": """
        def keep(seed):
            if seed.d != 0:
                return False
            else:
                return seed.s + seed.t_top <= seed.s_top + seed.t
        """,
    "a conditional expression and bool()": """
        def keep(seed):
            return bool(seed.s <= seed.s_top - (seed.t_top - seed.t)) if seed.d == 0 else False
        """,
    "a chained comparison": """
        def keep(seed):
            return 0 <= seed.d <= 0 and not seed.s > seed.s_top - seed.t_top + seed.t
        """,
    "unary minus": """
        def keep(seed):
            return seed.d == 0 and seed.s <= -(seed.t_top - seed.t) + seed.s_top
        """,
}


@pytest.mark.parametrize("source", SAME_AS_KIRA3.values(), ids=SAME_AS_KIRA3.keys())
def test_rewritten_kira3_rules_keep_the_same_seeds(source):
    features = _random_features(17)
    assert evaluate(parse(source), features).tolist() == evaluate(parse(KIRA3.source), features).tolist()


def test_guard_clauses_become_the_opposite_comparisons():
    source = SAME_AS_KIRA3["guard clauses"]
    assert render(parse(source)) == (
        "def keep(seed):\n    return seed.d <= 0 and seed.s <= seed.s_top - (seed.t_top - seed.t)\n"
    )


def test_a_floor_written_with_min_of_three_and_a_large_constant_parses():
    tree = parse("""
        def keep(seed):
            floor = max(1, seed.s_top - (seed.t_top - seed.t))
            return seed.d == 0 and seed.s <= floor and seed.r <= min(seed.r, 100, 12)
        """)
    assert "min(min(seed.r, 100), 12)" in render(tree)
    features = _random_features(5)
    assert evaluate(tree, features).tolist() == evaluate(parse(KIRA3_FLOORED.source), features).tolist()


def test_literals_parse_and_render_as_python_literals():
    assert render(parse("def keep(seed):\n    return True\n")) == "def keep(seed):\n    return True\n"
    assert render(parse("def keep(s):\n    return not False or s.t < 2\n")) == (
        "def keep(seed):\n    return not False or seed.t < 2\n"
    )


def test_an_explicit_not_is_kept_as_written():
    source = "def keep(seed):\n    return not seed.d > 0 and not not seed.s <= 3\n"
    assert render(parse(source)) == source


def test_groupings_that_differ_from_pythons_default_keep_their_parentheses():
    source = "def keep(seed):\n    return (seed.t < 1 or seed.d == 0) and seed.s - (seed.r - seed.t) <= 2\n"
    assert render(parse(source)) == source
    assert render(parse("def keep(seed):\n    return seed.t < 1 or seed.d == 0 and seed.s <= 2\n")) == (
        "def keep(seed):\n    return seed.t < 1 or seed.d == 0 and seed.s <= 2\n"
    )
