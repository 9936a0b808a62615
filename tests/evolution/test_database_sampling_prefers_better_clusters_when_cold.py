"""Boltzmann choice of clusters: near-greedy at a low temperature, near-uniform at a high one."""

from collections import Counter

import numpy as np
import pytest

from evolution.database import DatabaseConfig, ProgramsDatabase


def island_of(scores, **config):
    db = ProgramsDatabase(DatabaseConfig(num_islands=1, reset_period=None, **config))
    for i, score in enumerate(scores):
        db.register(f"p{i}", (score,), 10, 0)
    return db


def first_pick_counts(db, draws):
    return Counter(db.sample(0, k=1)[0] for _ in range(draws))


def test_a_cold_island_almost_always_picks_its_best_cluster():
    db = island_of([-110, -100, -200], temperature_init=0.01)
    counts = first_pick_counts(db, 400)
    assert counts["p1"] >= 390


def test_a_hot_island_picks_clusters_nearly_uniformly():
    db = island_of([-110, -100, -200], temperature_init=100.0)
    counts = first_pick_counts(db, 3000)
    assert all(abs(counts[p] / 3000 - 1 / 3) < 0.04 for p in ("p0", "p1", "p2"))


def test_probabilities_sharpen_as_the_temperature_falls():
    hot = island_of([-110, -100, -200], temperature_init=1.0).islands[0].cluster_probabilities()
    cold = island_of([-110, -100, -200], temperature_init=0.05).islands[0].cluster_probabilities()
    assert np.argmax(hot) == np.argmax(cold) == 1
    assert cold[1] > hot[1] and cold[2] < hot[2]
    assert hot.sum() == pytest.approx(1) and cold.sum() == pytest.approx(1)


def test_a_penalised_outlier_does_not_flatten_the_choice_at_the_top():
    # 88 against 92 seeds, next to a penalty of -5000: relative normalisation still tells them apart,
    # min-max would squeeze both to ~1.
    relative = island_of([-92, -88, -5000]).islands[0].cluster_probabilities()
    ranged = island_of([-92, -88, -5000], normalisation="range").islands[0].cluster_probabilities()
    assert relative[1] / relative[0] > 1.5
    assert ranged[1] / ranged[0] < 1.01


def test_one_cluster_is_always_chosen():
    db = island_of([-100])
    assert first_pick_counts(db, 20) == {"p0": 20}
