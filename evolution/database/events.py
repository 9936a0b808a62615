"""What the program database did, as plain records the caller stores and `replay` reads back.

Every random decision uses one numbered draw (see ProgramsDatabase); the events that came from one carry its
number, so a replay can use the same draw and check that it decides the same way.
"""

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar

ProgramId = int | str
Signature = tuple[float, ...]


_TYPES: dict[str, type] = {}


class _Event:
    """Each event class names its `type` (the key a stored record carries) and is found by it."""

    type: ClassVar[str]

    def __init_subclass__(cls, type: str, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls.type = type
        _TYPES[type] = cls


@dataclass(frozen=True)
class RegisterEvent(_Event, type="register"):
    """A program that ran entered `island` (None: every island, as FunSearch does for the start programs);
    `point` is its point under a Pareto objective (None, and not stored, under one that is not)."""

    program_id: ProgramId
    island: int | None
    signature: Signature
    length: int
    point: Signature | None = None


@dataclass(frozen=True)
class ChooseIslandEvent(_Event, type="choose_island"):
    island: int
    draw: int


@dataclass(frozen=True)
class SampleEvent(_Event, type="sample"):
    """Programs drawn from `island` as the parents of a new candidate, ascending by score."""

    island: int
    k: int
    program_ids: tuple[ProgramId, ...]
    draw: int


@dataclass(frozen=True)
class ResetEvent(_Event, type="reset"):
    """`island` was emptied and re-founded with `source_island`'s best program: a `reset_founder` edge."""

    island: int
    founder_program_id: ProgramId
    source_island: int
    draw: int


@dataclass(frozen=True)
class MigrateEvent(_Event, type="migration"):
    """`source_island`'s best program was copied to `island`: a `migration_source` edge. No draw: a
    migration follows the ring of islands, so it decides nothing at random."""

    island: int
    program_id: ProgramId
    source_island: int


Event = RegisterEvent | ChooseIslandEvent | SampleEvent | ResetEvent | MigrateEvent


def event_to_dict(event: Event) -> dict[str, Any]:
    values = dataclasses.asdict(event)
    if values.get("point", ...) is None:
        del values["point"]  # a log written before Pareto objectives, and one without, read alike
    for name in ("signature", "program_ids", "point"):
        if name in values:
            values[name] = list(values[name])
    return {"type": event.type, **values}


def event_from_dict(values: dict[str, Any]) -> Event:
    values = dict(values)
    kind = values.pop("type", None)
    if kind not in _TYPES:
        raise ValueError(f"unknown program database event type {kind!r}")
    for name in ("signature", "program_ids", "point"):
        if values.get(name) is not None:
            values[name] = tuple(values[name])
    return _TYPES[kind](**values)
