"""Inside a cluster FunSearch's softmax of normalised lengths favours the shorter program."""

from collections import Counter

from evolution.database import DatabaseConfig, ProgramsDatabase


def one_cluster(lengths):
    db = ProgramsDatabase(DatabaseConfig(num_islands=1, reset_period=None, seed=3))
    for i, length in enumerate(lengths):
        db.register(f"p{i}", (-90, -120), length, 0)
    return db


def test_the_shorter_of_two_equal_scores_is_drawn_more_often():
    db = one_cluster([100, 10])
    counts = Counter(db.sample(0, k=1)[0] for _ in range(2000))
    # softmax([0, -0.9]) gives the short one 0.71
    assert 0.66 < counts["p1"] / 2000 < 0.76


def test_programs_of_equal_length_are_drawn_about_equally():
    db = one_cluster([40, 40])
    counts = Counter(db.sample(0, k=1)[0] for _ in range(2000))
    assert abs(counts["p0"] / 2000 - 0.5) < 0.04


def test_a_longer_program_is_still_drawn_sometimes():
    db = one_cluster([10, 1000])
    counts = Counter(db.sample(0, k=1)[0] for _ in range(500))
    assert counts["p1"] > 50
