"""Static bloat control: no operator returns a child over the height or node limit, however long the run."""

import random

import pytest

from evolution.gp import (
    KIRA3_FLOORED,
    Individual,
    NoChild,
    TreeLimits,
    crossover,
    mutate,
    random_programs,
    vary,
)


@pytest.mark.parametrize("limits", [TreeLimits(height=8, nodes=40), TreeLimits(height=5, nodes=15)])
def test_a_long_run_never_exceeds_the_limits(limits):
    rng = random.Random(21)
    population = [c.as_individual() for c in random_programs(16, rng, max_depth=3, limits=limits)]
    for _ in range(400):
        parent, donor = rng.sample(population, 2)
        child = vary([parent, donor], rng, limits=limits)
        assert len(child.tree) <= limits.nodes and child.tree.height <= limits.height
        population[rng.randrange(len(population))] = child.as_individual()


def test_insertion_at_the_height_limit_is_retried_until_it_fits():
    parent = Individual.from_source(KIRA3_FLOORED.source)  # height 5
    child = mutate(parent, random.Random(3), "insert", limits=TreeLimits(height=5, nodes=40))
    assert child.tree.height <= 5
    assert child.operator_call.params["attempts"] >= 1


def test_no_child_when_no_attempt_fits():
    parent = Individual.from_source(KIRA3_FLOORED.source)  # 13 nodes
    with pytest.raises(NoChild, match="within the limits"):
        mutate(parent, random.Random(3), "insert", limits=TreeLimits(height=8, nodes=13), attempts=5)
    with pytest.raises(NoChild):
        crossover(parent, parent, random.Random(3), limits=TreeLimits(height=1, nodes=40), attempts=5)
