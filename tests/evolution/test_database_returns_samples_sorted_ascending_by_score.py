"""A sample is one program from each of k distinct clusters, worst first (FunSearch's prompt order)."""

from evolution.database import DatabaseConfig, ProgramsDatabase

SCORES = {"a": -300, "b": -90, "c": -150, "d": -120, "e": -100}


def island(k=2, seed=0, **config):
    db = ProgramsDatabase(
        DatabaseConfig(num_islands=1, reset_period=None, functions_per_prompt=k, seed=seed, **config)
    )
    for program_id, score in SCORES.items():
        db.register(program_id, (score,), 10, 0)
    return db


def test_samples_come_back_sorted_ascending_by_score():
    db = island(k=3, temperature_init=10.0)
    for _ in range(50):
        scores = [SCORES[p] for p in db.sample(0)]
        assert scores == sorted(scores) and len(scores) == 3


def test_the_programs_of_a_sample_come_from_distinct_clusters():
    db = island(k=5, temperature_init=0.001)
    assert sorted(db.sample(0)) == sorted(SCORES)


def test_k_defaults_to_functions_per_prompt_and_can_be_overridden():
    db = island(k=2)
    assert len(db.sample(0)) == 2
    assert len(db.sample(0, k=1)) == 1


def test_an_island_with_fewer_clusters_than_k_gives_fewer_programs():
    db = ProgramsDatabase(DatabaseConfig(num_islands=2, reset_period=None))
    db.register("only", (-100,), 10, 0)
    assert db.sample(0, k=2) == ["only"]
    assert db.sample(1, k=2) == []
