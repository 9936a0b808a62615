"""Appending to a chain in one statement, on the head this process remembers: the optimistic path.

A chain's records are normally appended under its head's row lock (provenance.chain.appending): BEGIN,
SELECT … FOR UPDATE, the write, COMMIT: four round trips to the server for what is often one record (an LLM
call) or a handful (a candidate's evaluations). This process remembers each chain's head as it last read or
wrote it. A block that only appends (`appending(name, alone=True)`) is stamped from that head and written, on
PostgreSQL, in one statement outside any transaction, whose head UPDATE holds only where the head is still
the one remembered, and whose INSERTs run only where that UPDATE did. A write by anyone else in between (a
worker on another machine, a person's annotation) leaves the statement writing nothing; the records are then
stamped again under the lock and written the usual way. The database decides: the remembered head is a
guess, checked by the statement that relies on it.

A Guard is the rows the write depends on (a job this worker still holds, or each of a step's jobs): locked
and checked in the same statement, and updated only where the records are written.
"""

from __future__ import annotations

from dataclasses import dataclass

from provenance.models import ChainHead

# After a miss the chain has another writer: the next few writes take the lock at once (a miss costs a round
# trip more than the lock would have).
PAUSE_AFTER_MISS = 16

_heads: dict[str, tuple[int, str]] = {}  # chain → (seq, hash) as this process last read or wrote it
_paused: dict[str, int] = {}  # chain → writes left before the next guess


@dataclass(frozen=True)
class Guard:
    """The `rows` rows of `table` that `where` picks must all exist when the records are written; `assign` is
    applied to them in the same statement (or transaction)."""

    table: str
    where: str  # a condition with %s placeholders
    where_params: tuple
    assign: str  # `column = %s, …`
    assign_params: tuple
    rows: int = 1

    def held(self, found: int) -> bool:
        """Whether `found` rows (those `where` picked, or the UPDATE changed) are all the guard needs."""
        return found == self.rows

    def update_sql(self) -> tuple[str, list]:
        """The UPDATE that applies `assign` where the row is still as `where` says (inside a transaction)."""
        return f"UPDATE {self.table} SET {self.assign} WHERE {self.where}", [
            *self.assign_params, *self.where_params]


def guess(name: str) -> tuple[int, str] | None:
    """The head to stamp an optimistic write from, or None: not known, or the chain recently missed."""
    left = _paused.get(name, 0)
    if left:
        _paused[name] = left - 1
        return None
    return _heads.get(name)


def remember(name: str, seq: int, head: str) -> None:
    _heads[name] = (seq, head)


def missed(name: str) -> None:
    _heads.pop(name, None)
    _paused[name] = PAUSE_AFTER_MISS


HEAD_MOVED, GUARD_FAILED = -1, -2  # the `seq` of the statement's sentinel rows


def statement(inserts: tuple[str, ...], guard: Guard | None, after: list[str] = ()) -> str:
    """WITH [guard AS (SELECT … FOR UPDATE),] head AS (UPDATE … WHERE it is as guessed [and the guard
    holds]), r0 AS (INSERT … only if head), …, [d0 AS (INSERT rows that hold the records' ids: `after`),]
    [done AS (UPDATE the guarded row only if head)]: the inserted (seq, id), then (-1, heads moved) and (-2,
    guarded rows) to tell what happened."""
    table = ChainHead._meta.db_table
    items, tail = [], ""
    held = ""
    if guard is not None:
        items.append(f"guard AS (SELECT FROM {guard.table} WHERE {guard.where} FOR UPDATE)")
        held = f" AND (SELECT count(*) FROM guard) = {int(guard.rows)}"
    items.append(f"head AS (UPDATE {table} SET seq = %s, hash = %s WHERE name = %s AND seq = %s AND hash = %s"
                 f"{held} RETURNING 1)")
    items += [*inserts, *after]
    if guard is not None:
        items.append(f"done AS (UPDATE {guard.table} SET {guard.assign} WHERE {guard.where} "
                     f"AND EXISTS (SELECT FROM head))")
        tail = f" UNION ALL SELECT {GUARD_FAILED}, count(*) FROM guard"
    selects = "".join(f"SELECT seq, id FROM r{g} UNION ALL " for g in range(len(inserts)))
    return f"WITH {', '.join(items)} {selects}SELECT {HEAD_MOVED}, count(*) FROM head{tail}"


def parameters(guard: Guard | None, head: tuple, inserts: list) -> list:
    """The statement's parameters in order: the guard's, the head's (new seq, new hash, name, guessed seq,
    guessed hash), the inserts' (and the rows' after them), the guarded row's update."""
    if guard is None:
        return [*head, *inserts]
    return [*guard.where_params, *head, *inserts, *guard.assign_params, *guard.where_params]
