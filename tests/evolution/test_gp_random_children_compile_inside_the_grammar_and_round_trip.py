"""Every program GP makes is readable Python inside its grammar; source → tree → source is the identity."""

import ast
import random

import pytest

from evolution.gp import TREE_LIMITS, crossover, mutate, parse, random_programs, render
from evolution.gp.grammar import is_literal


def _programs_and_children(seed: int) -> list:
    rng = random.Random(seed)
    founders = random_programs(30, rng)
    children = []
    for i in range(60):
        parent, donor = rng.sample(founders, 2)
        if i % 2:
            children.append(crossover(parent.tree, donor.tree, rng))
        else:
            children.append(mutate(parent.tree, rng))
    return founders + children


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_each_child_source_compiles_to_a_keep_function(seed):
    for child in _programs_and_children(seed):
        namespace = {}
        exec(compile(child.source, "<rule>", "exec"), {}, namespace)
        assert list(namespace) == ["keep"]
        assert ast.parse(child.source).body[0].name == "keep"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_each_child_source_parses_back_to_the_same_tree_and_source(seed):
    for child in _programs_and_children(seed):
        tree = parse(child.source)
        assert list(tree) == list(child.tree)
        assert render(tree) == child.source
        assert render(parse(render(tree))) == child.source


def test_random_programs_are_distinct_within_limits_and_free_of_literal_leaves():
    programs = random_programs(200, random.Random(11), min_depth=1, max_depth=5)
    assert len({p.source for p in programs}) == 200
    assert all(TREE_LIMITS.admit(p.tree) for p in programs)
    assert not any(is_literal(node) for p in programs for node in p.tree)
    assert {p.operator_call.params["method"] for p in programs} == {"grow", "full"}
    assert {p.operator_call.operator for p in programs} == {"random.half_and_half"}


def test_random_programs_ramp_their_heights_over_the_depth_range():
    heights = {p.tree.height for p in random_programs(100, random.Random(5), min_depth=2, max_depth=4)}
    assert heights == {2, 3, 4}
