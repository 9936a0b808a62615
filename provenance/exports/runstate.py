"""A run's mutable state in the archive: one `run_state` line after the run's records.

The state is no record and the record store does not keep it: the room that does (evolution, in its
AppConfig.ready) registers here its model, how to read a run's state and how to restore one. The record
store imports no room that writes to it, so this is the only way it learns of the state. A run without
state, or any run where nothing is registered, has no run_state line in its archive, and its import writes
no state. Where nothing is registered, an import skips the run_state lines of an archive from a server that
kept state: there is nothing here to check them against or to write them to.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models

from provenance.exports.reading import ArchiveError
from provenance.models import Run

# Not archived: when the row last changed here says nothing about the run (an import writes its own).
NOT_ARCHIVED = {"updated_at"}


@dataclass(frozen=True)
class Keeper:
    model: type[models.Model]  # its columns, less NOT_ARCHIVED, are the run_state line's
    read: Callable[[Run], models.Model | None]  # run → its state as stored; None: it has none
    restore: Callable[[Run, dict], None]  # (new run, the line's values by attname) → written


_keeper: Keeper | None = None


def register(model: type[models.Model], *, read: Callable, restore: Callable) -> None:
    global _keeper
    _keeper = Keeper(model, read, restore)


def kept() -> bool:
    """Whether a room here keeps run state (has registered)."""
    return _keeper is not None


def unregister() -> Keeper | None:
    """Forget the keeper (tests: the archive without one); returns it, to register again."""
    global _keeper
    keeper, _keeper = _keeper, None
    return keeper


def values(run: Run) -> dict | None:
    """The run's state by column attname, as archived; None when it has none (a bare record, which an
    import gives back as one) or no room keeps run state here."""
    state = None if _keeper is None else _keeper.read(run)
    if state is None:
        return None
    return {f.attname: getattr(state, f.attname) for f in archived_columns(_keeper.model)}


def restore(run: Run, values: dict) -> None:
    """Write the archived state (checked, references already mapped to this database) for the new run."""
    if _keeper is not None:
        _keeper.restore(run, values)


def archived_columns(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.name not in NOT_ARCHIVED]


class _Registered:
    """Stands for the registered model where only its columns are read (provenance.exports.rows.columns
    reads `_meta`): the loader checks a run_state line against the columns of whoever keeps the state."""

    @property
    def _meta(self):
        if _keeper is None:
            raise ArchiveError(None, "no room here keeps run state to restore it into", "run_state")
        return _keeper.model._meta


RunState = _Registered()
