"""T = T_init * (1 - (n mod period) / period), n the programs ever registered on the island."""

import pytest

from evolution.database import DatabaseConfig, ProgramsDatabase


def registered(n, **config):
    db = ProgramsDatabase(DatabaseConfig(num_islands=2, temperature_period=10, reset_period=None, **config))
    for i in range(n):
        db.register(i, (-100 - i,), 10, 0)
    return db


@pytest.mark.parametrize(
    ("n", "temperature"), [(0, 0.1), (1, 0.09), (5, 0.05), (9, 0.01), (10, 0.1), (13, 0.07)]
)
def test_temperature_follows_the_sawtooth(n, temperature):
    assert registered(n).temperature(0) == pytest.approx(temperature)


def test_each_island_counts_its_own_programs():
    assert registered(5).temperature(1) == pytest.approx(0.1)


def test_temperature_scales_with_its_initial_value():
    assert registered(5, temperature_init=2.0).temperature(0) == pytest.approx(1.0)


def test_sampling_does_not_cool_an_island():
    db = registered(3)
    db.sample(0)
    assert db.temperature(0) == pytest.approx(0.07)


def test_a_reset_island_starts_hot_again_with_its_founder():
    db = registered(5)
    db.register("elsewhere", (-1,), 10, 1)
    events = db.reset_islands()
    assert [e.island for e in events] == [0]
    assert db.temperature(0) == pytest.approx(0.09)
