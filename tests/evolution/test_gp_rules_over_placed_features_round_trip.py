"""A rule over where dots and numerators sit is a program of the GP grammar: its source parses to the tree
it says and renders back to the same source, and random trees draw those features too."""

import random

from evolution.gp import FEATURES, parse, random_programs, render
from solver.seed_features import NAMES

RULES = {  # returned expression: tree
    "seed.d_out == 0 and seed.d_in <= 1 and seed.s <= max(1, seed.s_top - seed.pinched)":
        "and_(and_(eq(d_out, 0), le(d_in, 1)), le(s, max(1, sub(s_top, pinched))))",
    "seed.d_max <= seed.r_sec - seed.t and seed.s_isp + seed.s_pinched <= seed.s_top":
        "and_(le(d_max, sub(r_sec, t)), le(add(s_isp, s_pinched), s_top))",
    "not seed.s_max > 2 or seed.pinched == 0":
        "or_(not_(gt(s_max, 2)), eq(pinched, 0))",
}


def test_each_rule_reads_as_its_tree_and_renders_back_unchanged():
    for expression, tree in RULES.items():
        source = f"def keep(seed):\n    return {expression}\n"
        assert str(parse(source)) == tree
        assert render(parse(source)) == source


def test_every_placed_feature_is_in_the_grammar():
    assert set(NAMES) <= set(FEATURES)
    for name in NAMES:
        source = f"def keep(seed):\n    return seed.{name} <= 1\n"
        assert render(parse(source)) == source


def test_random_rules_use_the_placed_features_and_round_trip():
    programs = random_programs(200, random.Random(5))
    used = {node.name for p in programs for node in p.tree if node.name in NAMES}
    assert used == set(NAMES)
    for program in programs:
        assert render(parse(program.source)) == program.source
