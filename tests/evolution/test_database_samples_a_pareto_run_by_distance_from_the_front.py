"""Under a Pareto objective the program database draws parents by how far each cluster's point is from its
island's front (the relative additive ε-indicator): every point on the front alike, a dominated one less
the further it is, and with one axis exactly as the relative shortfall from the best. The points go into
the event log and a replay rebuilds the same islands."""

from collections import Counter

import numpy as np
import pytest

from evolution.database import DatabaseConfig, ProgramsDatabase, event_from_dict, event_to_dict
from evolution.database.island import front_of, front_shortfall


def island_of(points, **config):
    db = ProgramsDatabase(DatabaseConfig(num_islands=1, reset_period=None, **config))
    for i, point in enumerate(points):
        db.register(f"p{i}", (point[0],), 10, 0, point)
    return db


def test_the_front_holds_the_points_no_other_dominates_equal_ones_included():
    points = np.array([(-88, -30000), (-92, -20000), (-92, -21000), (-100, -20000), (-80, -90000),
                       (-92, -20000)], dtype=float)
    assert sorted(front_of(points).tolist()) == [0, 1, 4, 5]


def test_a_point_s_shortfall_is_how_much_better_it_must_get_on_every_axis_to_reach_the_front():
    points = np.array([(-88, -30000), (-92, -20000), (-100, -20000), (-99, -33000)], dtype=float)
    gaps = front_shortfall(points)
    assert gaps[:2].tolist() == [0.0, 0.0]
    assert gaps[2] == pytest.approx(8 / 92)  # 8 seeds short of (-92, -20000), no cost short of it
    # short of (-88, -30000) by 11/88 on seeds and 3000/30000 on cost; short of the other by more
    assert gaps[3] == pytest.approx(max(11 / 88, 3000 / 30000))


def test_with_one_axis_the_logits_are_the_relative_shortfall_from_the_best():
    scores = [-110, -100, -200]
    pareto = island_of([(s,) for s in scores]).islands[0].cluster_probabilities()
    plain = ProgramsDatabase(DatabaseConfig(num_islands=1, reset_period=None))
    for i, s in enumerate(scores):
        plain.register(f"p{i}", (s,), 10, 0)
    assert pareto == pytest.approx(plain.islands[0].cluster_probabilities())


def test_a_cold_island_draws_every_front_point_alike_and_almost_never_a_dominated_one():
    db = island_of([(-88, -30000), (-92, -20000), (-120, -60000)], temperature_init=0.01)
    counts = Counter(db.sample(0, k=1)[0] for _ in range(600))
    assert counts["p2"] <= 5
    assert abs(counts["p0"] - counts["p1"]) < 90  # 300 each expected; binomial sd ~12


def test_the_island_s_best_is_the_front_s_end_with_fewest_seeds_and_least_cost_among_them():
    db = island_of([(-92, -20000), (-88, -31000), (-88, -30000), (-90, -10000)])
    assert db.best(0).program_id == "p2" and db.best_overall().program_id == "p2"


def test_programs_of_one_signature_but_two_points_are_two_clusters():
    db = ProgramsDatabase(DatabaseConfig(num_islands=1, reset_period=None))
    db.register("a", (-88,), 10, 0, (-88, -30000))
    db.register("b", (-88,), 10, 0, (-88, -20000))
    db.register("c", (-88,), 12, 0, (-88, -20000))
    clusters = db.islands[0].clusters
    assert [[p.program_id for p in c.programs] for c in clusters.values()] == [["a"], ["b", "c"]]


def test_points_go_into_the_log_and_a_replay_rebuilds_the_same_islands():
    config = DatabaseConfig(num_islands=3, reset_period=5, migration_period=4, seed=7)
    db = ProgramsDatabase(config)
    rng = np.random.default_rng(3)
    for i in range(20):
        seeds, cost = -int(rng.integers(80, 120)), -int(rng.integers(10000, 40000))
        db.register(i, (seeds,), 10, db.choose_island(), (seeds, cost))
        db.sample(db.choose_island(), k=2)
    stored = [event_to_dict(e) for e in db.events]
    registered = [e for e in stored if e["type"] == "register"]
    assert [e["point"][0] for e in registered] == [e["signature"][0] for e in registered]
    again = ProgramsDatabase.replay(config, stored)
    assert again.snapshot() == db.snapshot() and again.draws == db.draws


def test_a_log_without_points_is_stored_and_read_as_before():
    db = ProgramsDatabase(DatabaseConfig(num_islands=1, reset_period=None))
    db.register("p", (-88,), 10, 0)
    stored = event_to_dict(db.events[0])
    assert "point" not in stored
    assert event_from_dict(stored) == db.events[0]


def test_a_point_that_is_not_finite_numbers_is_refused():
    db = ProgramsDatabase(DatabaseConfig(num_islands=1, reset_period=None))
    for bad in ((), (float("nan"), 1.0), (True, 1.0), ("88", 1)):
        with pytest.raises(ValueError, match="point"):
            db.register("p", (-88,), 10, 0, bad)
