"""Tables of a tool's SQLite database, read without trusting it: opened read-only and immutable (no journal
replayed, no trigger or view of the file run: `trusted_schema` off), checked whole (`quick_check`) before a
row is read, each table's columns looked up before they are named, and at most MAX_ROWS rows a table."""

import sqlite3
from pathlib import Path

from provenance.sources.reading import MAX_TEXT, Files, SourceError, parse_json

MAX_ROWS = 200_000


class Database:
    """One database file of a source, hashed as it is read (Files.database), then opened read-only."""

    def __init__(self, files: Files, path: Path):
        files.database(path)
        self.name, self.path = files.name(path), path
        self.sha256 = files.read[self.name][0]
        self.checked = False

    def rows(self, table: str, columns: tuple[str, ...], *, optional: tuple[str, ...] = (), must=True):
        """The table's rows as dicts of `columns` (and of the `optional` ones it has; None where it has not);
        a table it lacks: refused when `must`, else no rows."""
        try:
            with sqlite3.connect(
                f"{self.path.resolve().as_uri()}?mode=ro&immutable=1", uri=True
            ) as connection:
                connection.execute("PRAGMA trusted_schema = OFF")
                if not self.checked:  # once a file (each table read reopens it)
                    check = connection.execute("PRAGMA quick_check").fetchone()
                    if check is None or check[0] != "ok":
                        raise SourceError(
                            self.name, f"the SQLite file is damaged ({check[0] if check else 'no answer'})"
                        )
                    self.checked = True
                have = {row[1] for row in connection.execute("SELECT * FROM pragma_table_info(?)", (table,))}
                if not have:
                    if must:
                        raise SourceError(self.name, f"no {table} table (is this the tool's database?)")
                    return []
                lacking = [c for c in columns if c not in have]
                if lacking:
                    raise SourceError(self.name, f"no column {', '.join(lacking)}", table)
                named = [*columns, *(c for c in optional if c in have)]
                cursor = connection.execute(
                    f"SELECT {', '.join(named)} FROM {table} ORDER BY rowid LIMIT {MAX_ROWS + 1}"  # noqa: S608
                )
                rows = [dict(zip(named, row, strict=True)) for row in cursor]
        except sqlite3.DatabaseError as error:
            raise SourceError(self.name, f"not a readable SQLite database ({error})") from None
        if len(rows) > MAX_ROWS:
            raise SourceError(self.name, f"more than {MAX_ROWS} rows", table)
        return [{**{c: None for c in optional}, **row} for row in rows]

    def where(self, table: str, number: int) -> str:
        return f"{self.name}, {table} row {number}"

    def json_columns(self, row: dict, where: str, columns: tuple[str, ...]) -> None:
        """Parse the row's JSON text columns in place (bounded depth, typed: text or NULL)."""
        for column in columns:
            text = row[column]
            if text is not None and not isinstance(text, str):
                raise SourceError(where, f"JSON text, not {type(text).__name__}", column)
            if text is not None and len(text) > MAX_TEXT:
                raise SourceError(where, f"longer than {MAX_TEXT // 2**20} Mi characters", column)
            row[column] = parse_json(text, where, column) if text else None
