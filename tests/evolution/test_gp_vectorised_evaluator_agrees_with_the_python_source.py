"""The numpy evaluator keeps exactly the seeds that running the rendered `keep` seed by seed keeps."""

import random
from types import SimpleNamespace

import numpy as np
import pytest

from evolution.gp import FEATURES, STARTING_RULES, evaluate, feature_arrays, mutate, parse, random_programs


def _seeds(seed: int, size: int = 300) -> list:
    rng = np.random.default_rng(seed)
    columns = {name: rng.integers(0, 9, size) for name in FEATURES}
    return [SimpleNamespace(**{name: int(columns[name][i]) for name in FEATURES}) for i in range(size)]


def _kept_by_python(source: str, seeds: list) -> list[bool]:
    namespace = {}
    exec(compile(source, "<rule>", "exec"), {"min": min, "max": max}, namespace)
    return [bool(namespace["keep"](seed)) for seed in seeds]


@pytest.mark.parametrize("seed", [1, 2])
def test_random_rules_and_their_mutants_agree(seed):
    rng = random.Random(seed)
    seeds = _seeds(seed)
    features = feature_arrays(seeds)
    programs = random_programs(40, rng, max_depth=5)
    programs += [mutate(p.tree, rng) for p in programs]
    for program in programs:
        kept = evaluate(program.tree, features)
        assert kept.dtype == bool and kept.shape == (len(seeds),)
        assert kept.tolist() == _kept_by_python(program.source, seeds), program.source


@pytest.mark.parametrize("name", sorted(STARTING_RULES))
def test_the_literature_rules_agree(name):
    seeds = _seeds(3)
    source = STARTING_RULES[name].source
    assert evaluate(parse(source), feature_arrays(seeds)).tolist() == _kept_by_python(source, seeds)


def test_a_rule_without_features_is_spread_over_every_seed():
    features = feature_arrays(_seeds(4, size=5))
    assert evaluate(parse("def keep(seed):\n    return not False\n"), features).tolist() == [True] * 5
    assert evaluate(parse("def keep(seed):\n    return 2 < 1\n"), features).tolist() == [False] * 5


def test_an_empty_pool_keeps_nothing():
    assert evaluate(parse(STARTING_RULES["kira3"].source), feature_arrays([])).shape == (0,)
