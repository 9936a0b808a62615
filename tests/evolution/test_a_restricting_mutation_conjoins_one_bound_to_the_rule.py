"""mutation.restrict makes `rule and bound`: the parent unchanged, and one comparison of a seed feature
with a small constant, a feature, or a feature plus or minus a constant. So it keeps a subset of the
parent's seeds, and a bound like Kira-3's `seed.d == 0` is one step away rather than a rare draw."""

import random
import re

from evolution.gp import KIRA3_FLOORED, LAPORTA, Individual, evaluate, feature_arrays, mutate, parse
from evolution.gp.grammar import SEED_FEATURES
from solver.family import load_family
from solver.score import pool_of

FEATURE = r"seed\.(?:" + "|".join(SEED_FEATURES) + r")"
BOUND = re.compile(rf"{FEATURE} (?:<|<=|==|>=|>) (?:[0-4]|{FEATURE}|{FEATURE} [+-] [1-4])")


def _restricted(parent, seed: int):
    child = mutate(Individual.from_source(parent.source, ref=1), random.Random(seed), "restrict")
    return child, parse(parent.source)


def test_the_child_is_the_parent_and_one_bound():
    for seed in range(200):
        child, _ = _restricted(KIRA3_FLOORED, seed)
        body = child.source.splitlines()[-1].strip()
        assert body.startswith(f"return {KIRA3_FLOORED.expression} and ")
        assert BOUND.fullmatch(body.removeprefix(f"return {KIRA3_FLOORED.expression} and "))
        assert child.operator_call.operator == "mutation.restrict"
        assert child.operator_call.parents == ((1, "parent"),)


def test_the_child_keeps_only_seeds_its_parent_keeps():
    family = load_family("trianglebox")
    features = feature_arrays(pool_of(family, family.problem("rank2")).seeds)
    parent = evaluate(parse(LAPORTA.source), features)
    narrower = 0
    for seed in range(100):
        child, _ = _restricted(LAPORTA, seed)
        kept = evaluate(child.tree, features)
        assert not (kept & ~parent).any()
        narrower += kept.sum() < parent.sum()
    assert narrower > 50  # most bounds cut something


def test_a_bound_on_a_feature_against_a_small_constant_is_a_common_draw():
    drawn = [_restricted(LAPORTA, seed)[0].source.splitlines()[-1] for seed in range(3000)]
    no_dots = ("and seed.d == 0", "and seed.d <= 0", "and seed.d < 1")
    wanted = [body for body in drawn if body.endswith(no_dots)]
    # 1/12 features x (3 of 25 operator-constant pairs) x 1/2 constant: one draw in 200, about 15 of 3000.
    assert 5 <= len(wanted) <= 40
