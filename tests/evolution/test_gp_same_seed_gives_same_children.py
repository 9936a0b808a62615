"""A GP run is reproducible from its seed, and DEAP's use of the global `random` leaks neither in nor out."""

import random

from evolution.gp import Individual, random_programs, starting_population, tournament, vary


def _run(seed: int, steps: int = 80) -> list:
    rng = random.Random(seed)
    population = [c.as_individual(i) for i, c in enumerate(starting_population(12, rng))]
    history = []
    for step in range(steps):
        scored = [(p, -len(p.tree)) for p in population]
        parent, _ = tournament(scored, rng)
        donor, _ = tournament(scored, rng)
        child = vary([parent, donor], rng)
        history.append((child.source, child.operator_call.as_record()))
        population[rng.randrange(len(population))] = child.as_individual(100 + step)
    return history


def test_two_runs_with_the_same_seed_make_identical_children():
    assert _run(42) == _run(42)


def test_runs_with_different_seeds_differ():
    assert _run(42) != _run(43)


def test_global_random_calls_in_between_change_nothing():
    rng_a, rng_b = random.Random(5), random.Random(5)
    first = random_programs(10, rng_a)
    random.seed(123)
    random.random()
    second = random_programs(10, rng_b)
    assert [c.source for c in first] == [c.source for c in second]


def test_the_global_random_state_is_left_as_it_was():
    random.seed(99)
    state = random.getstate()
    _run(1, steps=10)
    assert random.getstate() == state


def test_the_callers_generator_advances_so_later_draws_differ():
    rng = random.Random(8)
    first = random_programs(5, rng)
    second = random_programs(5, rng)
    assert [c.source for c in first] != [c.source for c in second]
    assert isinstance(first[0].as_individual(), Individual)
