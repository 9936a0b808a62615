"""The static whitelist of seed attributes (written out in the sandbox's policy, which imports nothing of the
project) names exactly what a problem's seed table offers, so a person's rule over `seed.s_isp` is checked
like one over `seed.s`, and GP breeds only features the table has."""

from evolution.gp import FEATURES as GRAMMAR
from evolution.problems import problem_set
from evolution.sandbox import SEED_ATTRIBUTES, check


def test_the_whitelist_is_the_table_s_attributes():
    table = problem_set("trianglebox", ("rank3",)).problems[0].table
    assert set(SEED_ATTRIBUTES) == table.attributes


def test_every_grammar_feature_is_a_column_or_the_context():
    table = problem_set("trianglebox", ("rank3",)).problems[0].table
    assert set(GRAMMAR) <= set(table.names) | set(table.context)


def test_a_rule_over_the_placed_features_passes_the_default_check():
    check("def keep(seed):\n    return seed.d_in <= 1 and seed.s_isp + seed.s_pinched <= seed.r_sec\n")
