"""Hash chains: what a record's hash covers, and appending records to a chain under its lock.

A record's hash is the SHA-256 of the canonical JSON of all its columns except `id` and `hash`, plus its
kind. References to other records are written as *their* hashes (a Merkle DAG), so the hashes do not depend
on database ids and an archive imported elsewhere reproduces them; references to projects and users are
their ids. A column holding None is left out, so a nullable column added later leaves old hashes valid.
"""

import functools
import threading
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal

from django.db import connection, models, transaction
from django.utils import timezone

from provenance.canonical import digest
from provenance.errors import CanonicalError, RecordError
from provenance.models import RECORD_MODELS, Candidate, ChainHead, Record

RECORD_TYPES = {model._meta.model_name: model for model in RECORD_MODELS}


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
        if value is None:
            continue
        if field.is_relation:
            if issubclass(field.related_model, Record):
                cached = field.get_cached_value(record, None)
                value = (
                    cached.hash
                    if cached is not None and cached.pk == value
                    else hashes(field.related_model, value)
                )
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
    def __init__(self, name: str, seq: int, head: str):
        self.name, self.seq, self.hash = name, seq, head

    def append(self, *records: Record, hashes: Hashes | None = None) -> None:
        """Stamp the records (seq, prev_hash, recorded_at, hash) in order and insert them."""
        hashes = hashes or Hashes()
        seq, head, now = self.seq, self.hash, timezone.now()
        for record in records:
            _normalise(record)
            seq += 1
            record.seq, record.prev_hash, record.recorded_at = seq, head, now
            record.hash = head = content_hash(record, hashes)
        _insert(records)
        self.seq, self.hash = seq, head


def _insert(records) -> None:
    """INSERT … RETURNING id, without the ORM's per-save machinery: a record has no save() logic or signals,
    and this is the hot path of every evolution step (the ORM added about a fifth to its cost)."""
    fields, sql = _insert_sql(type(records[0]), len(records), connection.vendor)
    params = [
        field.get_db_prep_save(getattr(record, field.attname), connection)
        for record in records
        for field in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [row[0] for row in cursor.fetchall()]
    # Multi-row RETURNING comes back in insertion order (Django's bulk_create relies on the same).
    for record, pk in zip(records, ids, strict=True):
        record.pk = pk
        record._state.adding, record._state.db = False, connection.alias


@functools.cache
def _insert_sql(model: type, rows: int, vendor: str) -> tuple[list, str]:
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    quote = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    return fields, (
        f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES {', '.join([row] * rows)} RETURNING {quote(model._meta.pk.column)}"
    )


_held = threading.local()


@contextmanager
def appending(name: str):
    """Hold chain `name` for appending: one transaction, the chain head locked until commit.

    Nested use of the same chain (record_step calling record_candidate, …) joins the outer hold."""
    held = _held.__dict__.setdefault("chains", {})
    if name in held:
        with transaction.atomic(savepoint=False):
            yield held[name]
        return
    with transaction.atomic():
        seq, head = _lock(name)
        chain = held[name] = Chain(name, seq, head)
        try:
            yield chain
        finally:
            del held[name]
        if chain.seq != seq:
            ChainHead.objects.filter(name=name).update(seq=chain.seq, hash=chain.hash)


def _lock(name: str) -> tuple[int, str]:
    """Lock the chain's head row and read it. An UPDATE rather than SELECT … FOR UPDATE, because SQLite has no
    row locks: there, the UPDATE takes the database's write lock at once, so no other writer can read this
    head before we commit (a deferred transaction would read first and fail at its first write)."""
    sql = f"UPDATE {ChainHead._meta.db_table} SET seq = seq WHERE name = %s RETURNING seq, hash"
    with connection.cursor() as cursor:
        cursor.execute(sql, [name])
        head = cursor.fetchone()
        if head is None:
            if name != ChainHead.GLOBAL:
                raise RecordError(f"no chain {name!r}: a run's chain is started by start_run")
            ChainHead.objects.bulk_create([ChainHead(name=name)], ignore_conflicts=True)
            cursor.execute(sql, [name])
            head = cursor.fetchone()
    return head


def chain_name(run_id: int | None) -> str:
    return f"run:{run_id}" if run_id is not None else ChainHead.GLOBAL
