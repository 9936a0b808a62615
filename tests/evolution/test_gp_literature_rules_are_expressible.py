"""Laporta, Kira-3 and floored Kira-3 are programs of the grammar and render just as the papers write them."""

import random

import numpy as np

from evolution.gp import KIRA3, KIRA3_FLOORED, LAPORTA, evaluate, laporta, parse, render, starting_population


def test_laporta_renders_with_the_problem_bounds():
    assert LAPORTA.source == "def keep(seed):\n    return seed.r <= seed.r_top and seed.s <= seed.s_top\n"
    assert render(parse(LAPORTA.source)) == LAPORTA.source


def test_laporta_with_fixed_bounds_uses_constants():
    rule = laporta(6, 3)
    assert rule.source == "def keep(seed):\n    return seed.r <= 6 and seed.s <= 3\n"
    assert str(parse(rule.source)) == "and_(le(r, 6), le(s, 3))"


def test_kira3_renders_as_in_the_paper():
    assert KIRA3.source == (
        "def keep(seed):\n    return seed.d == 0 and seed.s <= seed.s_top - (seed.t_top - seed.t)\n"
    )
    assert str(parse(KIRA3.source)) == "and_(eq(d, 0), le(s, sub(s_top, sub(t_top, t))))"
    assert render(parse(KIRA3.source)) == KIRA3.source


def test_floored_kira3_renders_with_max_as_a_call():
    assert KIRA3_FLOORED.source == (
        "def keep(seed):\n    return seed.d == 0 and seed.s <= max(1, seed.s_top - (seed.t_top - seed.t))\n"
    )
    assert render(parse(KIRA3_FLOORED.source)) == KIRA3_FLOORED.source


def test_the_floor_keeps_one_numerator_power_where_kira3_keeps_none():
    # t = 3 below t_top = 6 with s_top = 2: Kira-3 allows s <= -1, the floor allows s <= 1.
    features = {"t": [3, 3, 6], "r": [3, 3, 6], "s": [0, 1, 2], "d": [0, 0, 0],
                "t_top": [6] * 3, "r_top": [6] * 3, "s_top": [2] * 3}
    features = {name: np.array(values) for name, values in features.items()}
    assert evaluate(parse(KIRA3.source), features).tolist() == [False, False, True]
    assert evaluate(parse(KIRA3_FLOORED.source), features).tolist() == [True, True, True]


def test_the_starting_population_puts_the_literature_first_and_fills_up_with_random_rules():
    population = starting_population(10, random.Random(3))
    assert len(population) == 10
    assert population[0].source == LAPORTA.source
    assert population[0].operator_call.as_record() == {
        "operator": "literature", "parents": [],
        "params": {"rule": "laporta", "citation": "S. Laporta, hep-ph/0102033"},
    }
    assert {c.operator_call.operator for c in population[1:]} == {"random.half_and_half"}
    assert len({c.source for c in population}) == 10
