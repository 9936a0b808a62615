"""The records' one-statement writes as prepared statements, on PostgreSQL.

A write alone (provenance.optimistic) is one statement of a few kilobytes: a candidate's evaluations, an LLM
call, a controller step. Sent as text with its values quoted in, the server parses, analyses and plans it
anew every time, which took about 0.6 ms of the 1.3–1.7 ms such a statement cost (bench/records.py). Sent
with its values bound and prepared, the server plans each shape once per connection: an evaluation or a call
has the same text every time, only its values change. The connection asks for generic plans
(settings: plan_cache_mode): by default the server plans a prepared statement anew at each of its first
five runs, and a step's write, whose shape depends on its candidates and edges, seldom ran more often, so
it was planned anew nearly every time (1.7 ms of a step's 2.8 ms on the server; 0.25 ms with the setting).

Only these statements are prepared. Django's own queries use client-side binding, which psycopg never
prepares; the connection's `prepare_threshold` (settings: DATABASE_PREPARED_STATEMENTS) is set so high that
nothing is prepared unless asked. With DATABASE_PREPARED_STATEMENTS off (a pooler in front that cannot keep
prepared statements: PgBouncer before 1.21 in transaction mode) it is None, and the statements go as text.
"""

from __future__ import annotations

import functools
import itertools
import re

import psycopg
from psycopg.adapt import Transformer

PLACEHOLDER = re.compile("%.", re.DOTALL)


class _PreparedCursor(psycopg.RawCursor):
    """A server-side binding cursor whose statements are prepared (Django's cursor wrapper calls execute with
    the SQL and its parameters only). It sends the statement with PostgreSQL's own placeholders, found once
    per shape of statement (`numbered`): psycopg's own cursor finds them anew on every call in a statement
    of more than 50 parameters, as a step's is, which took about as long as the server took to run it."""

    def execute(self, query, params=None, *, prepare=True, binary=None):
        return super().execute(numbered(query), params, prepare=prepare, binary=binary)


@functools.lru_cache(maxsize=1024)
def numbered(sql: str) -> str:
    """`sql` with its %s placeholders as $1, $2, … and %% as %, as psycopg reads them."""
    count = itertools.count(1)

    def replace(match: re.Match) -> str:
        if match.group() == "%%":
            return "%"
        if match.group() == "%s":
            return f"${next(count)}"
        raise ValueError(f"only %s placeholders are supported, not {match.group()!r}")

    return PLACEHOLDER.sub(replace, sql)


def enabled(db) -> bool:
    db.ensure_connection()
    return db.connection.prepare_threshold is not None


def execute(db, sql: str, params: list) -> list[tuple]:
    """Run `sql` (placeholders %s) with `params` through Django's cursor wrapper (its execute wrappers and
    query log see it as any query), prepared where the connection allows; its rows."""
    if enabled(db):
        db.validate_thread_sharing()  # as Django's own cursor() does
        raw = _PreparedCursor(db.connection)
        cursor = db.make_debug_cursor(raw) if db.queries_logged else db.make_cursor(raw)
        with cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    with db.cursor() as cursor:
        cursor.execute(quoted(db, sql.encode(), params))
        return cursor.fetchall()


def quoted(db, sql: bytes, params: list) -> str:
    """The statement with its parameters quoted in by psycopg: byte for byte what Django's cursor (psycopg's
    ClientCursor) sends for execute(sql, params), less the work of finding the placeholders, which psycopg
    caches only for statements of at most 50 parameters. A step's statement has about 100: finding them
    anew took 0.2 ms a step, quoting them all here takes 0.13 ms."""
    quote = Transformer(db.connection).as_literal
    text = sql % tuple(b"NULL" if param is None else quote(param) for param in params)
    return text.decode(db.connection.info.encoding)
