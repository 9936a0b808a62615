"""Hash chains: what a record's hash covers, and appending records to a chain under its lock.

A record's hash is the SHA-256 of the canonical JSON of all its columns except `id` and `hash`, plus its
kind. References to other records are written as *their* hashes (a Merkle DAG), so the hashes do not depend
on database ids and an archive imported elsewhere reproduces them; references to projects and users are
their ids. A column holding None is left out, so a nullable column added later leaves old hashes valid.
Which chain holds a record, and what the chains are called: provenance.membership.
"""

import functools
import re
import threading
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal

from django.db import DEFAULT_DB_ALIAS, connection, connections, models, transaction
from django.utils import timezone

from provenance import dependents as dependent_rows
from provenance import optimistic, prepared
from provenance.canonical import digest
from provenance.errors import CanonicalError, RecordError
from provenance.membership import GLOBAL, RECORD_TYPES
from provenance.membership import chain_name as chain_name  # the ledger names the chains it appends to
from provenance.models import Candidate, ChainHead, Record
from provenance.optimistic import Guard


class Hashes:
    """Hashes of referenced records by (model, id): filled as records are seen, queried when missing."""

    def __init__(self, records=()):
        self.known: dict[tuple[type, int], str] = {}
        self.add(*records)

    def add(self, *records: Record) -> None:
        for record in records:
            self.known[type(record), record.pk] = record.hash

    def copy(self) -> "Hashes":
        copied = Hashes()
        copied.known.update(self.known)
        return copied

    def __call__(self, model: type, pk: int) -> str:
        key = (model, pk)
        if key not in self.known:
            found = model.objects.filter(pk=pk).values_list("hash", flat=True).first()
            if found is None:
                raise RecordError(f"{model._meta.model_name} {pk} does not exist")
            self.known[key] = found
        return self.known[key]


def record_content(record: Record, hashes: Hashes) -> dict:
    content = {"kind": record._meta.model_name}
    for field in record._meta.concrete_fields:
        if field.name in ("id", "hash"):
            continue
        value = getattr(record, field.attname)
        if field.is_relation and issubclass(field.related_model, Record):
            cached = field.get_cached_value(record, None)
            if value is None:
                # A record appended earlier in the same write (Chain.append) has its hash but no id yet.
                if cached is None or cached.pk is not None:
                    continue
                value = cached.hash
            else:
                value = (
                    cached.hash
                    if cached is not None and cached.pk == value
                    else hashes(field.related_model, value)
                )
        elif value is None:
            continue
        elif isinstance(field, models.DateTimeField):
            value = _timestamp(value)
        elif isinstance(field, models.DecimalField):
            value = format(value, "f")
        content[field.name] = value
    if record._meta.model_name == "prompt":
        content["slots"] = [
            {**slot, "candidate": hashes(Candidate, slot["candidate"])} for slot in record.slots
        ]
    elif record._meta.model_name == "annotation":
        content["target"] = hashes(RECORD_TYPES[record.target_type], content.pop("target_id"))
    return content


def content_hash(record: Record, hashes: Hashes) -> str:
    return digest(record_content(record, hashes))


def _timestamp(value: datetime) -> str:
    if timezone.is_naive(value):
        raise CanonicalError("a naive datetime has no canonical form")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _normalise(record: Record) -> None:
    """Give every column the value the database will hand back, so the hash computed now is the hash that
    verify recomputes later."""
    for field in record._meta.concrete_fields:
        if field.is_relation or field.name in ("id", "hash"):
            continue
        value = getattr(record, field.attname)
        if value is None:
            continue
        value = field.to_python(value)
        if isinstance(field, models.DecimalField):
            value = value.quantize(Decimal(1).scaleb(-field.decimal_places))
        setattr(record, field.attname, value)


class Chain:
    """A chain held for appending (see appending). Appended records are stamped and hashed at once, and
    written together when the block that appended them ends: on PostgreSQL all of them, and the head's
    move, in one statement."""

    def __init__(self, name: str, seq: int, head: str):
        self.name, self.seq, self.hash = name, seq, head
        self.stored = seq  # the head's seq as the database has it in this transaction
        self.pending: list[Record] = []
        self.deferring = 0
        self.alone = False  # appended by a block that only appends: written once, at its end
        self.written = True  # False where a guard no longer held (see appending)
        self.dependents: list[dependent_rows.Dependent] = []  # written with the records (see depend)

    def append(self, *records: Record, hashes: Hashes | None = None) -> None:
        """Stamp the records (seq, prev_hash, recorded_at, hash) in order and queue them for writing."""
        hashes = hashes or Hashes()
        seq, head, now = self.seq, self.hash, timezone.now()
        waiting = {id(record) for record in self.pending}
        for record in records:
            if record.pk is not None or id(record) in waiting:
                raise RecordError(f"{record._meta.model_name} {record.pk} is already on a chain")
            _normalise(record)
            for field in _record_links(type(record)):
                target = field.get_cached_value(record, None)
                if target is None or getattr(record, field.attname) is not None:
                    continue
                if target.pk is not None:  # stored since it was assigned (as Model.save() would see it)
                    setattr(record, field.attname, target.pk)
                    field.set_cached_value(record, target)
                elif id(target) not in waiting:
                    raise RecordError(
                        f"a {record._meta.model_name} refers to a {field.name} that is not recorded"
                    )
            seq += 1
            record.seq, record.prev_hash, record.recorded_at = seq, head, now
            record.hash = head = content_hash(record, hashes)
            waiting.add(id(record))
        self.pending.extend(records)
        self.seq, self.hash = seq, head

    def depend(self, rows, link: str) -> None:
        """Rows of a table that is not a record (a candidate's job), each holding in its foreign key `link` a
        record appended in this hold: written with the records, in their statement or transaction, so that
        neither is ever written without the other."""
        self.dependents += [dependent_rows.Dependent(row, link) for row in rows]

    @contextmanager
    def deferred(self):
        """Keep what is appended inside queued until the enclosing hold ends: one write for all of it."""
        self.deferring += 1
        try:
            yield self
        finally:
            self.deferring -= 1

    def write(self, final: bool = False) -> None:
        """Insert the queued records (ids set on them afterwards), and store the head where it moved: at the
        end of the hold (`final`), or earlier on PostgreSQL, where it rides in the records' own statement.
        A hold that writes mid-transaction (record_candidate's own, nested in a transaction; start_run for the
        run's id) then sends no UPDATE of the head at its end. Rows that depend on the records written
        (depend) follow them."""
        records, self.pending = self.pending, []
        ride = bool(records) and connection.vendor == "postgresql"
        head = (self.seq, self.hash, self.name) if self.seq != self.stored and (final or ride) else None
        if records or head:
            _write(records, head)
        if head:
            self.stored = self.seq
        ready = [d for d in self.dependents if d.record.pk is not None]
        if ready:
            self.dependents = [d for d in self.dependents if d.record.pk is None]
            dependent_rows.save(ready)


@functools.cache
def _record_links(model: type) -> tuple:
    """The model's foreign keys to other records."""
    return tuple(
        field
        for field in model._meta.concrete_fields
        if field.is_relation and issubclass(field.related_model, Record)
    )


@functools.cache
def _columns(model: type) -> tuple[list, str]:
    """The columns an INSERT fills (all but the id), and `table (column, …)`."""
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    return fields, f"{quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)})"


HEAD_SQL = f"UPDATE {ChainHead._meta.db_table} SET seq = %s, hash = %s WHERE name = %s"


def _write(records: list[Record], head: tuple | None) -> None:
    """INSERT the records (and UPDATE the chain head), without the ORM's per-save machinery: a record has no
    save() logic or signals, and this is the hot path of every evolution step (the ORM added about a fifth
    to its cost). On PostgreSQL, one statement: each run of records of one table is an INSERT … RETURNING
    in a WITH clause, a reference to a record written in the same statement is a subquery on the WITH
    item that inserts it, and the head's UPDATE is one more item. Elsewhere (SQLite, in-process: a
    statement costs little) one INSERT per run of records of one table, then the head's UPDATE.

    Foreign keys between records are checked by the database as always (deferred to commit on
    PostgreSQL, where Django creates them DEFERRABLE INITIALLY DEFERRED)."""
    db = connections[DEFAULT_DB_ALIAS]
    groups = _groups(records)
    with db.cursor() as cursor:
        if db.vendor == "postgresql" and records:
            cursor.execute(prepared.quoted(db, *_statement(groups, head, db)))
            ids = dict(cursor.fetchall())
            for record in records:
                _stored(record, ids[record.seq], db)
            return
        for rows in groups:
            for record in rows:
                _link(record)
            fields, table = _columns(type(rows[0]))
            cursor.execute(
                _insert_sql(table, len(fields), len(rows)),
                [_db_value(field, record, db) for record in rows for field in fields],
            )
            # Multi-row RETURNING comes back in insertion order (Django's bulk_create relies on the same).
            for record, (pk,) in zip(rows, cursor.fetchall(), strict=True):
                _stored(record, pk, db)
        if head:
            cursor.execute(HEAD_SQL, list(head))


def _groups(records: list[Record]) -> list[list[Record]]:
    """Runs of consecutive records of one table (a record that refers to one in its run starts a new run)."""
    groups: list[list[Record]] = []
    current: set[int] = set()
    for record in records:
        if (
            groups
            and type(groups[-1][0]) is type(record)
            and not any(id(target) in current for _, target in _pending_links(record))
        ):
            groups[-1].append(record)
        else:
            groups.append([record])
            current = set()
        current.add(id(record))
    return groups


def _pending_links(record: Record):
    """(field, record) for each reference to a record queued with it (written in the same write)."""
    for field in _record_links(type(record)):
        if getattr(record, field.attname) is None:
            target = field.get_cached_value(record, None)
            if target is not None:
                yield field, target


def _link(record: Record) -> None:
    for field, target in _pending_links(record):
        setattr(record, field.attname, target.pk)  # which forgets the cached target: keep it
        field.set_cached_value(record, target)


def _db_value(field, record: Record, db):
    return field.get_db_prep_save(getattr(record, field.attname), db)


def _stored(record: Record, pk: int, db) -> None:
    _link(record)
    record.pk = pk
    record._state.adding, record._state.db = False, db.alias


def _statement(groups: list[list[Record]], head: tuple | None, db) -> tuple[bytes, list]:
    """The one PostgreSQL statement for _write, and its parameters."""
    shape, params = insert_rows(groups, db)
    if head:
        params += head
    return _statement_sql(shape, head is not None), params


def insert_rows(groups: list[list[Record]], db) -> tuple[tuple, list]:
    """The shape of a write's INSERTs (model, rows, links to records inserted before it in the statement) and
    their parameters, in order."""
    where = {id(record): g for g, rows in enumerate(groups) for record in rows}
    shape, params = [], []
    for rows in groups:
        fields, _ = _columns(type(rows[0]))
        links = []
        for r, record in enumerate(rows):
            pending = {field.attname: target for field, target in _pending_links(record)}
            for i, field in enumerate(fields):
                target = pending.get(field.attname)
                if target is None:
                    params.append(_db_value(field, record, db))
                else:  # the id of a record inserted by an earlier item of this statement
                    links.append((r, i, where[id(target)]))
                    params.append(target.seq)
        shape.append((type(rows[0]), len(rows), tuple(links)))
    return tuple(shape), params


@functools.lru_cache(maxsize=256)
def _statement_sql(shape: tuple, head: bool) -> bytes:
    """WITH r0 AS (INSERT … RETURNING seq, id), r1 AS (…), [head AS (UPDATE …)] SELECT seq, id FROM r0 UNION
    ALL …: `seq` tells the rows apart (one chain: unique in a write), whatever order they come back in."""
    items = list(inserts_sql(shape))
    if head:
        items.append(f"head AS ({HEAD_SQL})")
    selects = " UNION ALL ".join(f"SELECT seq, id FROM r{g}" for g in range(len(shape)))
    return f"WITH {', '.join(items)} {selects}".encode()


@functools.lru_cache(maxsize=256)
def inserts_sql(shape: tuple, only_if: str = "") -> tuple[str, ...]:
    """The WITH items `r<g> AS (INSERT … RETURNING seq, id)` of a write's shape. With `only_if` (a WITH item's
    name), each inserts its rows only if that item returned a row: the rows are then a VALUES list in a
    SELECT, each cell cast to its column's type (a bare literal there would be read as text)."""
    items = []
    for g, (model, rows, links) in enumerate(shape):
        fields, table = _columns(model)
        cell = [f"%s::{_cast(field)}" if only_if else "%s" for field in fields]
        cells = [list(cell) for _ in range(rows)]
        for r, i, source in links:
            cells[r][i] = f"(SELECT id FROM r{source} WHERE seq = %s)"
        values = ", ".join("(" + ", ".join(row) + ")" for row in cells)
        if only_if:
            values = f"SELECT * FROM (VALUES {values}) AS v WHERE EXISTS (SELECT FROM {only_if})"
        else:
            values = f"VALUES {values}"
        items.append(f"r{g} AS (INSERT INTO {table} {values} RETURNING seq, id)")
    return tuple(items)


@functools.cache
def _cast(field) -> str:
    """The column's type without its length (`varchar`, not `varchar(200)`): an explicit cast to a length
    cuts a longer value short in silence, where the INSERT's own assignment refuses it. Cached as _columns
    is: a field's type on this process's database does not change (worked out anew for every cell, it took
    4 % of the recording samples in a py-spy profile of bench/records.py)."""
    return re.sub(r"\(.*\)$", "", field.cast_db_type(connection))


@functools.cache
def _insert_sql(table: str, columns: int, rows: int) -> str:
    row = "(" + ", ".join(["%s"] * columns) + ")"
    return f"INSERT INTO {table} VALUES {', '.join([row] * rows)} RETURNING id"


_held = threading.local()


@contextmanager
def appending(name: str, *, alone: bool = False, guard: Guard | None = None):
    """Hold chain `name` for appending: one transaction, the chain head locked until commit.

    Nested use of the same chain (record_candidate inside a batch, …) joins the outer hold. What is
    appended is written when the block that appended it ends (unless the chain is deferred()), so a
    record_* function returns stored records even inside a batch; the head is stored once, at the end.

    `alone`: the block only appends (it reads and writes nothing else that must commit with the records),
    and everything appended in it is written once, when it ends. On PostgreSQL, outside any transaction,
    that write is one statement on the head this process remembers (provenance.optimistic). `guard`: a
    row the records depend on, checked and updated with them; where it no longer holds, nothing is
    written and `chain.written` is False."""
    held = _held.__dict__.setdefault("chains", {})
    if name in held:
        chain = held[name]
        if chain.alone:  # written once, when the outer hold ends
            yield chain
            return
        with transaction.atomic(savepoint=False):
            yield chain
            if not chain.deferring:
                chain.write()
        return
    guessed = optimistic.guess(name) if alone and _one_statement_possible() else None
    if guessed is not None:
        chain = held[name] = Chain(name, *guessed)
        chain.alone = True
        try:
            yield chain
        finally:
            del held[name]
        _write_alone(chain, guessed, guard)
        return
    with transaction.atomic():
        seq, head = _lock(name)
        chain = held[name] = Chain(name, seq, head)
        chain.deferring += alone  # nothing is written before the guard is checked
        try:
            yield chain
        finally:
            del held[name]
        if guard is not None and not _applied(guard):
            chain.pending, chain.dependents, chain.written = [], [], False
            return
        chain.write(final=True)
        # The head as it will be once committed (a guess, checked where it is relied on); remembered before
        # the commit, whose on_commit callbacks may append to the chain after it.
        optimistic.remember(name, chain.seq, chain.hash)


def _one_statement_possible() -> bool:
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def _applied(guard: Guard) -> bool:
    """The guard's update, in the caller's transaction; where the guard no longer holds, that transaction is
    rolled back (a guard on several rows may have changed those still as it says)."""
    with connection.cursor() as cursor:
        cursor.execute(*guard.update_sql())
        if guard.held(cursor.rowcount):
            return True
    transaction.set_rollback(True)
    return False


def _write_alone(chain: Chain, guessed: tuple[int, str], guard: Guard | None) -> None:
    """Write what `chain` holds in one autocommit statement, where its head is still `guessed`; where
    another writer moved it, stamp the records again under the lock and write them the usual way."""
    records, chain.pending = chain.pending, []
    rows, chain.dependents = chain.dependents, []
    if not records:
        if guard is not None:
            with transaction.atomic():
                chain.written = _applied(guard)
        return
    db = connections[DEFAULT_DB_ALIAS]
    groups = _groups(records)
    shape, params = insert_rows(groups, db)
    where = {id(record): g for g, run in enumerate(groups) for record in run}
    after, after_params = dependent_rows.sql_items(rows, where, _cast, "head", db)
    head = (chain.seq, chain.hash, chain.name, *guessed)
    sql = optimistic.statement(inserts_sql(shape, only_if="head"), guard, after)
    ids = dict(prepared.execute(db, sql, optimistic.parameters(guard, head, params + after_params)))
    if guard is not None and not guard.held(ids[optimistic.GUARD_FAILED]):
        chain.written = False
    elif ids[optimistic.HEAD_MOVED]:
        for record in records:
            _stored(record, ids[record.seq], db)
        dependent_rows.written(rows)
        optimistic.remember(chain.name, chain.seq, chain.hash)
    else:
        optimistic.missed(chain.name)
        _write_locked(chain, records, rows, guard)


def _write_locked(chain: Chain, records: list[Record], rows: list, guard: Guard | None) -> None:
    with transaction.atomic():
        fresh = Chain(chain.name, *_lock(chain.name))
        if guard is not None and not _applied(guard):
            chain.written = False
            return
        fresh.append(*records)
        fresh.dependents = rows
        fresh.write(final=True)
    chain.seq, chain.hash = fresh.seq, fresh.hash
    optimistic.remember(chain.name, chain.seq, chain.hash)


def _lock(name: str) -> tuple[int, str]:
    """Lock the chain's head row and read it. On PostgreSQL, SELECT … FOR UPDATE. SQLite has no row locks:
    there, an UPDATE takes the database's write lock at once, so no other writer can read this head before
    we commit (a deferred transaction would read first and fail at its first write)."""
    table = ChainHead._meta.db_table
    if connection.vendor == "postgresql":
        sql = f"SELECT seq, hash FROM {table} WHERE name = %s FOR UPDATE"
    else:
        sql = f"UPDATE {table} SET seq = seq WHERE name = %s RETURNING seq, hash"
    with connection.cursor() as cursor:
        cursor.execute(sql, [name])
        head = cursor.fetchone()
        if head is None:
            if name != GLOBAL:
                raise RecordError(f"no chain {name!r}: a run's chain is started by start_run")
            ChainHead.objects.bulk_create([ChainHead(name=name)], ignore_conflicts=True)
            cursor.execute(sql, [name])
            head = cursor.fetchone()
    return head
