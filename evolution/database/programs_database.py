"""FunSearch's program database: islands of clusters, Boltzmann sampling, reset of the weaker half."""

import math
import numbers
import time
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from .cluster import RegisteredProgram
from .config import DatabaseConfig
from .events import (
    ChooseIslandEvent,
    Event,
    MigrateEvent,
    ProgramId,
    RegisterEvent,
    ResetEvent,
    SampleEvent,
    Signature,
    event_from_dict,
)
from .island import Island


class ReplayError(ValueError):
    """The event log does not describe what this database, with this config, would have done."""


class ProgramsDatabase:
    def __init__(
        self, config: DatabaseConfig | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.config = config or DatabaseConfig()
        self._islands = [Island(self.config) for _ in range(self.config.num_islands)]
        self._best: RegisteredProgram | None = None
        # Every random decision gets the next draw number and a generator seeded from (seed, number) alone,
        # so the state to restore on resume is one integer, and the log says which draw made each event.
        self._draws = 0
        self._since_reset = 0
        self._since_migration = 0
        self._clock = clock
        self._last_reset_time = clock()
        self.events: list[Event] = []  # the log to persist, in order; replay(config, events) rebuilds

    @property
    def islands(self) -> tuple[Island, ...]:
        return tuple(self._islands)

    @property
    def draws(self) -> int:
        return self._draws

    def temperature(self, island: int) -> float:
        return self._island(island).temperature

    def best(self, island: int) -> RegisteredProgram | None:
        return self._island(island).best

    def best_overall(self) -> RegisteredProgram | None:
        """Best program ever registered; a reset never loses it (it is always on a surviving island)."""
        return self._best

    def register(
        self, program_id: ProgramId, signature: Iterable[float], length: int, island: int | None,
        point: Iterable[float] | None = None,
    ) -> list[ResetEvent | MigrateEvent]:
        """Adds a program that ran; returns the reset and migration events it triggered, usually none.
        Under a Pareto objective every program comes with its `point` (evolution.objective.point), and
        islands sample by distance from their front.

        Register programs that were evaluated: complete ones, and incomplete ones with their penalty
        score, so a near miss can still be a parent. Refused, crashed and timed-out ones have no score.
        """
        self._register(program_id, signature, length, island, point)
        timed_out = self.config.reset_seconds is not None and (
            self._clock() - self._last_reset_time >= self.config.reset_seconds
        )
        events: list[ResetEvent | MigrateEvent] = []
        if self._reset_is_due() or timed_out:
            events += self.reset_islands()
        if self._migration_is_due():
            events += self.migrate()
        return events

    def choose_island(self) -> int:
        draw, rng = self._next_draw()
        island = int(rng.integers(len(self._islands)))
        self.events.append(ChooseIslandEvent(island, draw))
        return island

    def sample(self, island: int, k: int | None = None) -> list[ProgramId]:
        """Ids of programs from up to k distinct clusters, ascending by score (the prompt's order)."""
        k = self.config.functions_per_prompt if k is None else k
        if isinstance(k, bool) or not isinstance(k, int) or k < 1:
            raise ValueError(f"k must be an integer >= 1, not {k!r}")
        chosen = self._island(island)
        draw, rng = self._next_draw()
        program_ids = tuple(program.program_id for program in chosen.sample(rng, k))
        self.events.append(SampleEvent(island, k, program_ids, draw))
        return list(program_ids)

    def reset_islands(self) -> list[ResetEvent]:
        """Empties the weaker half of the islands and re-founds each with a random survivor's best."""
        draw, rng = self._next_draw()
        self._since_reset = 0
        self._last_reset_time = self._clock()
        count = len(self._islands)
        # Ties are broken by a seeded shuffle: FunSearch's 1e-6 noise, made reproducible.
        ranked = sorted(rng.permutation(count).tolist(), key=lambda i: self._islands[i].best_rank)
        weak, strong = sorted(ranked[: count // 2]), ranked[count // 2 :]
        sources = [i for i in strong if self._islands[i].best is not None]
        events = []
        for island in weak:
            self._islands[island] = Island(self.config)
            if not sources:  # nothing registered anywhere yet
                continue
            source = sources[int(rng.integers(len(sources)))]
            founder = self._islands[source].best
            self._islands[island].register(founder)
            events.append(ResetEvent(island, founder.program_id, source, draw))
        self.events.extend(events)
        return events

    def migrate(self) -> list[MigrateEvent]:
        """Copies each island's best (as it was before any moved) to the next island of the ring, where
        that program is not already."""
        self._since_migration = 0
        count = len(self._islands)
        bests = [island.best for island in self._islands]
        events = []
        for source, best in enumerate(bests):
            target = self._islands[(source + 1) % count]
            if best is None or best.program_id in target:
                continue
            target.register(best)
            events.append(MigrateEvent((source + 1) % count, best.program_id, source))
        self.events.extend(events)
        return events

    @classmethod
    def replay(
        cls,
        config: DatabaseConfig | dict[str, Any],
        events: Iterable[Event | dict[str, Any]],
        clock: Callable[[], float] = time.monotonic,
    ) -> "ProgramsDatabase":
        """The database that produced `events`, in the same state: clusters, counts and next draw.

        Draws are re-made and checked against the log, so a log that does not match raises ReplayError.
        If the log stops after a registration that was due to trigger a reset (the process died in
        between), the reset is done here: its events are `db.events[len(events):]`, for the caller to record.
        """
        if isinstance(config, dict):
            config = DatabaseConfig.from_dict(config)
        db = cls(config, clock)
        log = [event_from_dict(e) if isinstance(e, dict) else e for e in events]
        i = 0
        while i < len(log):
            event = log[i]
            if isinstance(event, RegisterEvent):
                db._register(event.program_id, event.signature, event.length, event.island, event.point)
                i += 1
                # A reset by wall clock is logged right after the registration that triggered it.
                if db._reset_is_due() or (i < len(log) and isinstance(log[i], ResetEvent)):
                    i = db._replay_reset(log, i)
                if db._migration_is_due():
                    i = db._replay_migration(log, i)
            elif isinstance(event, ResetEvent):
                i = db._replay_reset(log, i)  # called directly
            elif isinstance(event, MigrateEvent):
                i = db._replay_migration(log, i)  # called directly
            elif isinstance(event, ChooseIslandEvent):
                db._seek(event.draw)
                db._expect(db.choose_island(), event.island, event)
                i += 1
            else:
                db._seek(event.draw)
                db._expect(db.sample(event.island, event.k), list(event.program_ids), event)
                i += 1
        return db

    def snapshot(self) -> dict[str, Any]:
        """Everything that decides future behaviour, as plain data (wall-clock timing aside)."""
        return {
            "config": self.config.to_dict(),
            "draws": self._draws,
            "since_reset": self._since_reset,
            "since_migration": self._since_migration,
            "best": self._best.program_id if self._best else None,
            "islands": [island.snapshot() for island in self._islands],
        }

    def _register(
        self, program_id: ProgramId, signature: Iterable[float], length: int, island: int | None,
        point: Iterable[float] | None = None,
    ) -> None:
        signature = _check_signature(signature)
        point = None if point is None else _check_signature(point, "point")
        if isinstance(length, bool) or not isinstance(length, int) or length < 0:
            raise ValueError(f"length must be an integer >= 0, not {length!r}")
        targets = range(len(self._islands)) if island is None else [island]
        for target in targets:
            if program_id in self._island(target):
                raise ValueError(f"program {program_id!r} is already registered on island {target}")
        program = RegisteredProgram(program_id, signature, length, point)
        for target in targets:
            self._islands[target].register(program)
        if self._best is None or program.rank > self._best.rank:
            self._best = program
        self._since_reset += 1
        self._since_migration += 1
        self.events.append(RegisterEvent(program_id, island, signature, length, point))

    def _reset_is_due(self) -> bool:
        return self.config.reset_period is not None and self._since_reset >= self.config.reset_period

    def _migration_is_due(self) -> bool:
        period = self.config.migration_period
        return period is not None and self._since_migration >= period

    def _replay_migration(self, log: list[Event], start: int) -> int:
        end = start
        while end < len(log) and isinstance(log[end], MigrateEvent):
            end += 1
        expected = log[start:end]
        made = self.migrate()
        if made != expected and (expected or end < len(log)):
            raise ReplayError(f"event {start}: the log has migrations {expected}, the database makes {made}")
        return end

    def _replay_reset(self, log: list[Event], start: int) -> int:
        end = start
        while end < len(log) and isinstance(log[end], ResetEvent) and log[end].draw == log[start].draw:
            end += 1
        expected = log[start:end]
        if expected:
            self._seek(expected[0].draw)
        made = self.reset_islands()
        if made != expected and (expected or end < len(log)):
            raise ReplayError(f"event {start}: the log has resets {expected}, the database makes {made}")
        return end

    def _seek(self, draw: int) -> None:
        if draw < self._draws:
            raise ReplayError(f"draw {draw} comes after draw {self._draws - 1} in the log")
        self._draws = draw  # a gap is a draw whose event was never stored; it changed nothing

    def _expect(self, made: Any, logged: Any, event: Event) -> None:
        if made != logged:
            raise ReplayError(f"{event}: the database now draws {made!r}")

    def _next_draw(self) -> tuple[int, np.random.Generator]:
        draw = self._draws
        self._draws += 1
        return draw, np.random.default_rng([self.config.seed, draw])

    def _island(self, island: int) -> Island:
        if isinstance(island, bool) or not isinstance(island, int) or not 0 <= island < len(self._islands):
            raise ValueError(f"island must be an integer in 0..{len(self._islands) - 1}, not {island!r}")
        return self._islands[island]


def _check_signature(signature: Iterable[float], name: str = "signature") -> Signature:
    values = tuple(signature)
    if not values or not all(
        isinstance(v, numbers.Real) and not isinstance(v, bool) and math.isfinite(v) for v in values
    ):
        raise ValueError(f"{name} must be a non-empty tuple of finite scores, not {values!r}")
    # Plain Python numbers, so that events go to JSON as they are (numpy scalars would not).
    return tuple(int(v) if isinstance(v, numbers.Integral) else float(v) for v in values)
