"""Only programs with a finite score signature enter, once per island; samples name a real island."""

import math

import numpy as np
import pytest

from evolution.database import DatabaseConfig, ProgramsDatabase


@pytest.fixture
def db():
    return ProgramsDatabase(DatabaseConfig(num_islands=2, reset_period=None))


@pytest.mark.parametrize("signature", [(), (-math.inf,), (math.nan, -3), ("-90",), (True,)])
def test_a_signature_without_finite_scores_is_refused(db, signature):
    with pytest.raises(ValueError, match="signature"):
        db.register("crashed", signature, 10, 0)
    assert db.events == []


def test_numpy_scores_are_stored_as_plain_numbers(db):
    db.register("a", np.array([-90, -12]), 10, 0)
    assert db.events[0].signature == (-90, -12)
    assert type(db.events[0].signature[0]) is int


def test_a_program_enters_an_island_only_once(db):
    db.register("a", (-90,), 10, 0)
    db.register("a", (-90,), 10, 1)
    with pytest.raises(ValueError, match="already registered on island 0"):
        db.register("a", (-90,), 10, None)
    assert db.islands[1].num_programs == 1


@pytest.mark.parametrize("island", [-1, 2, "0", None])
def test_sampling_a_missing_island_is_refused(db, island):
    with pytest.raises(ValueError, match="island"):
        db.sample(island)


@pytest.mark.parametrize("length", [-1, 1.5, "10"])
def test_a_bad_length_is_refused(db, length):
    with pytest.raises(ValueError, match="length"):
        db.register("a", (-90,), length, 0)


@pytest.mark.parametrize("k", [0, -2, 1.0])
def test_a_bad_sample_size_is_refused(db, k):
    db.register("a", (-90,), 10, 0)
    with pytest.raises(ValueError, match="k must be"):
        db.sample(0, k=k)
