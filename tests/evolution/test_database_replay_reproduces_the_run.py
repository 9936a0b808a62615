"""Rebuilt from its event log (no pickles), the database continues exactly as the uninterrupted one."""

import json

import pytest

from evolution.database import (
    DatabaseConfig,
    ProgramsDatabase,
    ReplayError,
    ResetEvent,
    event_from_dict,
    event_to_dict,
)

CONFIG = DatabaseConfig(num_islands=3, reset_period=7, seed=11)


def evolve(db, steps, start=0):
    """A stand-in for the controller: the child's scores depend only on its parents, so the run is a
    deterministic function of what the database draws."""
    if start == 0:
        db.register(0, (-200, -400), 30, None)
    for step in range(start + 1, start + steps + 1):
        island = db.choose_island()
        parents = db.sample(island)
        first = parents[-1] if parents else 0
        signature = (-200 + (first * 7 + step) % 23, -400 + (step * 5) % 31)
        db.register(step, signature, 20 + step % 9, island)


def stored(db):
    """The log as the record store would give it back: plain JSON."""
    return json.loads(json.dumps([event_to_dict(e) for e in db.events]))


def test_replay_rebuilds_an_identical_database():
    db = ProgramsDatabase(CONFIG)
    evolve(db, 60)
    assert any(e.type == "reset" for e in db.events)
    rebuilt = ProgramsDatabase.replay(CONFIG.to_dict(), stored(db))
    assert rebuilt.snapshot() == db.snapshot()
    assert rebuilt.events == db.events


def test_a_resumed_run_continues_exactly_as_the_uninterrupted_one():
    straight = ProgramsDatabase(CONFIG)
    evolve(straight, 80)
    interrupted = ProgramsDatabase(CONFIG)
    evolve(interrupted, 40)
    resumed = ProgramsDatabase.replay(CONFIG, stored(interrupted))
    evolve(resumed, 40, start=40)
    assert resumed.events == straight.events
    assert resumed.snapshot() == straight.snapshot()


def test_the_same_seed_gives_the_same_run_and_another_seed_another():
    runs = []
    for seed in (11, 11, 12):
        db = ProgramsDatabase(DatabaseConfig(num_islands=3, reset_period=7, seed=seed))
        evolve(db, 40)
        runs.append(db.events)
    assert runs[0] == runs[1]
    assert runs[0] != runs[2]


def test_a_reset_cut_off_from_the_log_is_completed_by_the_replay():
    db = ProgramsDatabase(CONFIG)
    evolve(db, 30)
    log = stored(db)
    last_reset = max(i for i, e in enumerate(log) if e["type"] == "reset")
    first_of_it = min(
        i for i, e in enumerate(log) if e["type"] == "reset" and e["draw"] == log[last_reset]["draw"]
    )
    cut = log[:first_of_it]
    rebuilt = ProgramsDatabase.replay(CONFIG, cut)
    completed = rebuilt.events[len(cut) :]
    assert completed == [event_from_dict(e) for e in log[first_of_it : last_reset + 1]]
    assert all(isinstance(e, ResetEvent) for e in completed)


def test_a_log_that_does_not_match_the_database_is_refused():
    db = ProgramsDatabase(CONFIG)
    evolve(db, 20)
    with pytest.raises(ReplayError):
        ProgramsDatabase.replay(DatabaseConfig(num_islands=3, reset_period=7, seed=12), stored(db))


def test_a_log_missing_a_reset_is_refused():
    db = ProgramsDatabase(CONFIG)
    evolve(db, 20)
    log = [e for e in stored(db) if e["type"] != "reset"]
    with pytest.raises(ReplayError, match="resets"):
        ProgramsDatabase.replay(CONFIG, log)


def test_events_round_trip_through_plain_dicts():
    db = ProgramsDatabase(CONFIG)
    evolve(db, 20)
    assert [event_from_dict(e) for e in stored(db)] == db.events
    with pytest.raises(ValueError, match="unknown"):
        event_from_dict({"type": "migrate"})
