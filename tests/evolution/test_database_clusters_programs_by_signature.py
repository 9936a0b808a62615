"""Programs with equal signatures share a cluster; the cluster's score is the headline (sum) score."""

import pytest

from evolution.database import DatabaseConfig, ProgramsDatabase


@pytest.fixture
def db():
    db = ProgramsDatabase(DatabaseConfig(num_islands=2, reset_period=None))
    db.register("laporta", (-120, -300), 30, 0)
    db.register("twin", [-120, -300], 45, 0)
    db.register("kira3", (-88, -310), 60, 0)
    db.register("swapped", (-300, -120), 30, 0)
    return db


def test_two_programs_with_equal_signatures_share_a_cluster(db):
    clusters = db.islands[0].clusters
    assert [p.program_id for p in clusters[(-120, -300)].programs] == ["laporta", "twin"]


def test_equal_headline_scores_with_different_signatures_are_different_clusters(db):
    clusters = db.islands[0].clusters
    assert len(clusters) == 3
    assert clusters[(-120, -300)].score == clusters[(-300, -120)].score == -420


def test_the_best_of_an_island_is_its_highest_sum_and_the_first_to_reach_it(db):
    assert db.best(0).program_id == "kira3"
    db.register("late-kira3", (-88, -310), 20, 0)
    assert db.best(0).program_id == "kira3"
    assert db.best(1) is None


def test_the_best_overall_spans_islands(db):
    db.register("better", (-80, -200), 50, 1)
    assert db.best_overall().program_id == "better"
    assert db.best_overall().score == -280


def test_a_start_program_without_island_enters_every_island():
    db = ProgramsDatabase(DatabaseConfig(num_islands=3, reset_period=None))
    db.register("laporta", (-120,), 30, None)
    assert [db.best(i).program_id for i in range(3)] == ["laporta"] * 3
