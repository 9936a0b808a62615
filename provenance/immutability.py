"""The database itself refuses UPDATE and DELETE on record tables (and TRUNCATE on PostgreSQL).

Installed by a migration, and again after every migrate (apps.py): SQLite alters a table by rebuilding it,
and the rebuilt table has no triggers.
"""

from contextlib import contextmanager

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION seedtrace_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on % refused: records are append-only', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'integrity_constraint_violation';
END
$$"""


def record_tables() -> list[str]:
    from provenance.models import RECORD_MODELS

    return [model._meta.db_table for model in RECORD_MODELS]


def _statements(vendor: str, table: str) -> tuple[list[str], list[str]]:
    """(install, drop) statements for one table; both idempotent."""
    if vendor == "postgresql":
        rows, whole = f"{table}_append_only", f"{table}_no_truncate"
        return (
            [
                f"DROP TRIGGER IF EXISTS {rows} ON {table}",
                f"CREATE TRIGGER {rows} BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION seedtrace_refuse_change()",
                f"DROP TRIGGER IF EXISTS {whole} ON {table}",
                f"CREATE TRIGGER {whole} BEFORE TRUNCATE ON {table} "
                f"FOR EACH STATEMENT EXECUTE FUNCTION seedtrace_refuse_change()",
            ],
            [f"DROP TRIGGER IF EXISTS {rows} ON {table}", f"DROP TRIGGER IF EXISTS {whole} ON {table}"],
        )
    if vendor == "sqlite":
        install, drop = [], []
        for op in ("UPDATE", "DELETE"):
            name = f"{table}_no_{op.lower()}"
            install.append(
                f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {op} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{op} on {table} refused: records are append-only'); END"
            )
            drop.append(f"DROP TRIGGER IF EXISTS {name}")
        return install, drop
    raise NotImplementedError(f"no append-only triggers for {vendor}: use SQLite or PostgreSQL")


def install_triggers(connection, tables: list[str] | None = None) -> None:
    statements = [PG_FUNCTION] if connection.vendor == "postgresql" else []
    for table in tables or record_tables():
        statements += _statements(connection.vendor, table)[0]
    _execute(connection, statements)


def drop_triggers(connection, tables: list[str] | None = None) -> None:
    statements = []
    for table in tables or record_tables():
        statements += _statements(connection.vendor, table)[1]
    _execute(connection, statements)


@contextmanager
def triggers_dropped(connection, tables: list[str] | None = None):
    """For tests and repairs only: records can be changed until the block ends."""
    drop_triggers(connection, tables)
    try:
        yield
    finally:
        install_triggers(connection, tables)


def installed_triggers(connection) -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {row[0] for row in cursor.fetchall()}


def _execute(connection, statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
