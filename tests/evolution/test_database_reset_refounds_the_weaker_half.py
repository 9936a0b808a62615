"""Every reset_period registrations the weaker half of the islands is emptied and re-founded."""

import pytest

from evolution.database import DatabaseConfig, ProgramsDatabase, ResetEvent


def four_islands(best_scores, seed=0, **config):
    db = ProgramsDatabase(
        DatabaseConfig(num_islands=len(best_scores), reset_period=None, seed=seed, **config)
    )
    for island, score in enumerate(best_scores):
        db.register(f"weak{island}", (score - 50,), 10, island)
        db.register(f"best{island}", (score,), 10, island)
    return db


def test_the_weaker_half_is_emptied_and_refounded_from_survivors():
    db = four_islands([-100, -300, -90, -400])
    events = db.reset_islands()
    assert [e.island for e in events] == [1, 3]
    for event in events:
        assert event.source_island in (0, 2)
        assert event.founder_program_id == f"best{event.source_island}"
        assert [p.program_id for c in db.islands[event.island].clusters.values() for p in c.programs] == [
            event.founder_program_id
        ]
        assert db.islands[event.island].num_programs == 1


def test_the_surviving_half_is_untouched():
    db = four_islands([-100, -300, -90, -400])
    before = [db.islands[i].snapshot() for i in (0, 2)]
    db.reset_islands()
    assert [db.islands[i].snapshot() for i in (0, 2)] == before


def test_events_name_the_draw_that_made_them():
    db = four_islands([-100, -300, -90, -400])
    draw = db.draws
    events = db.reset_islands()
    assert all(isinstance(e, ResetEvent) and e.draw == draw for e in events)
    assert db.events[-2:] == events


def test_ties_are_broken_the_same_way_for_the_same_seed():
    resets = [tuple(e.island for e in four_islands([-100] * 4, seed=s).reset_islands()) for s in range(8)]
    again = [tuple(e.island for e in four_islands([-100] * 4, seed=s).reset_islands()) for s in range(8)]
    assert resets == again
    assert all(len(r) == 2 for r in resets)
    assert len(set(resets)) > 1  # a seeded shuffle, not always the lowest indices


def test_an_odd_number_of_islands_resets_the_smaller_half():
    assert len(four_islands([-1, -2, -3, -4, -5]).reset_islands()) == 2


def test_a_single_island_is_never_reset():
    assert four_islands([-100]).reset_islands() == []


def test_the_best_program_overall_survives_a_reset():
    db = four_islands([-100, -300, -90, -400])
    db.reset_islands()
    assert db.best_overall().program_id == "best2"
    assert db.best_overall().program_id in {db.best(i).program_id for i in range(4)}


def test_registrations_trigger_the_reset_every_reset_period():
    db = ProgramsDatabase(DatabaseConfig(num_islands=2, reset_period=3))
    assert db.register("a", (-10,), 5, 0) == []
    assert db.register("b", (-20,), 5, 1) == []
    assert db.register("c", (-30,), 5, 1) == [ResetEvent(1, "a", 0, draw=0)]
    assert db.register("d", (-40,), 5, 1) == []
    assert db.register("e", (-50,), 5, 1) == []
    assert len(db.register("f", (-60,), 5, 1)) == 1


def test_wall_clock_resets_only_when_asked_for():
    now = [0.0]
    config = DatabaseConfig(num_islands=2, reset_period=None, reset_seconds=60.0)
    db = ProgramsDatabase(config, clock=lambda: now[0])
    assert db.register("a", (-10,), 5, 0) == []
    now[0] = 61.0
    assert [e.island for e in db.register("b", (-20,), 5, 1)] == [1]
    assert db.register("c", (-30,), 5, 1) == []


@pytest.mark.parametrize("seed", [0, 1])
def test_a_reset_of_an_empty_database_does_nothing(seed):
    db = ProgramsDatabase(DatabaseConfig(seed=seed))
    assert db.reset_islands() == []
