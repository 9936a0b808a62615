"""Every `migration_period` registrations each island's best is copied to the next island of the ring (where
it is not already); off by default, as in FunSearch; a replay of a log with migrations (and resets, by count
or by wall clock) ends in the same state."""

import pytest

from evolution.database import DatabaseConfig, MigrateEvent, ProgramsDatabase, ReplayError
from tests.evolution.test_database_replay_reproduces_the_run import evolve, stored

CONFIG = DatabaseConfig(num_islands=3, reset_period=11, migration_period=5, seed=4)


def test_a_migration_copies_each_best_to_the_next_island():
    db = ProgramsDatabase(DatabaseConfig(num_islands=3, reset_period=None, migration_period=3, seed=1))
    db.register("a", (-10,), 5, 0)
    db.register("b", (-20,), 5, 1)
    made = db.register("c", (-5,), 5, 2)
    assert made == [MigrateEvent(1, "a", 0), MigrateEvent(2, "b", 1), MigrateEvent(0, "c", 2)]
    assert ["a" in db.islands[1], "b" in db.islands[2], "c" in db.islands[0]] == [True, True, True]
    assert db.best(0).program_id == "c"  # the copy competes on its new island
    assert db.register("d", (-30,), 5, 0) == []  # the next one is three registrations away


def test_there_is_no_migration_unless_asked_for():
    db = ProgramsDatabase(DatabaseConfig(num_islands=3, seed=1))
    evolve(db, 60)
    assert DatabaseConfig().migration_period is None
    assert not any(isinstance(event, MigrateEvent) for event in db.events)


def test_a_program_already_on_the_next_island_is_not_copied_again():
    db = ProgramsDatabase(DatabaseConfig(num_islands=2, reset_period=None, migration_period=1, seed=1))
    assert db.register("everywhere", (-10,), 5, None) == []  # the best of both islands already
    assert db.events[-1].type == "register"


def test_a_replay_with_migrations_and_resets_rebuilds_the_same_database():
    db = ProgramsDatabase(CONFIG)
    evolve(db, 60)
    kinds = {event.type for event in db.events}
    assert {"migration", "reset"} <= kinds
    rebuilt = ProgramsDatabase.replay(CONFIG, stored(db))
    assert (rebuilt.snapshot(), rebuilt.events) == (db.snapshot(), db.events)


def test_a_reset_by_wall_clock_before_a_migration_replays_in_order():
    now = iter(range(0, 10**6, 7))
    config = DatabaseConfig(num_islands=4, reset_period=None, reset_seconds=20, migration_period=3, seed=2)
    db = ProgramsDatabase(config, clock=lambda: next(now))
    evolve(db, 30)
    log = [event.type for event in db.events]
    assert any(a == "reset" and b == "migration" for a, b in zip(log, log[1:], strict=False))
    rebuilt = ProgramsDatabase.replay(config, stored(db), clock=lambda: 0)
    assert (rebuilt.snapshot(), rebuilt.events) == (db.snapshot(), db.events)


def test_a_log_whose_migration_was_altered_is_refused():
    db = ProgramsDatabase(CONFIG)
    evolve(db, 20)
    log = stored(db)
    moved = next(i for i, event in enumerate(log) if event["type"] == "migration")
    log[moved]["source_island"] = (log[moved]["source_island"] + 1) % 3
    with pytest.raises(ReplayError, match="migrations"):
        ProgramsDatabase.replay(CONFIG, log)
