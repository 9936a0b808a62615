"""The database's settings go into the run's record as a plain dict and come back the same."""

import json
import math

import pytest

from evolution.database import DatabaseConfig, ProgramsDatabase


def test_defaults_are_laptop_sized():
    config = DatabaseConfig()
    assert (config.num_islands, config.functions_per_prompt, config.temperature_init) == (4, 2, 0.1)
    assert config.reset_seconds is None


def test_config_round_trips_through_a_json_dict():
    config = DatabaseConfig(
        num_islands=6, reset_period=None, reset_seconds=3600.0, normalisation="range", seed=9
    )
    assert DatabaseConfig.from_dict(json.loads(json.dumps(config.to_dict()))) == config


def test_missing_settings_take_their_defaults():
    assert DatabaseConfig.from_dict({"seed": 5}) == DatabaseConfig(seed=5)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("num_islands", 0),
        ("num_islands", "4"),
        ("num_islands", True),
        ("functions_per_prompt", 0),
        ("temperature_init", 0),
        ("temperature_init", -0.1),
        ("temperature_init", math.nan),
        ("temperature_init", math.inf),
        ("temperature_period", 0),
        ("temperature_period", 2.5),
        ("reset_period", 0),
        ("reset_seconds", -5),
        ("normalisation", "softmax"),
        ("seed", -1),
        ("seed", 1.5),
    ],
)
def test_bad_values_are_refused_naming_the_setting(field, value):
    with pytest.raises(ValueError, match=field):
        DatabaseConfig(**{field: value})


def test_unknown_settings_are_refused():
    with pytest.raises(ValueError, match="num_island"):
        DatabaseConfig.from_dict({"num_island": 4})


def test_a_database_without_config_uses_the_defaults():
    assert ProgramsDatabase().config == DatabaseConfig()
