"""A truncated SQLite file, a JSON file with wrong types, nested too deep or cut short, and a lineage that
loops are refused with the file and the field, and nothing is written."""

import json
import sqlite3
from contextlib import closing

import pytest
from django.core.management import CommandError

from tests.exports.archives import snapshot
from tests.sources.conftest import import_run

pytestmark = pytest.mark.django_db


def refused(tool: str, path) -> str:
    before = snapshot()
    with pytest.raises(CommandError) as error:
        import_run(tool, path)
    assert snapshot() == before
    assert "Traceback" not in str(error.value) and "nothing was imported" in str(error.value)
    return str(error.value)


def a_program(directory):
    return sorted(directory.glob("checkpoints/checkpoint_4/programs/*.json"))[0]


def test_a_truncated_sqlite_file_is_refused(project, copied):
    database = copied("shinka") / "programs.sqlite"
    database.write_bytes(database.read_bytes()[: len(database.read_bytes()) // 2])
    message = refused("shinka", database.parent)
    assert "programs.sqlite" in message


def test_a_file_that_is_no_sqlite_database_is_refused(project, copied):
    database = copied("shinka") / "programs.sqlite"
    database.write_bytes(b'{"not": "a database"}' * 100)
    assert "programs.sqlite: not a readable SQLite database" in refused("shinka", database.parent)


@pytest.mark.parametrize(
    "field, value, says",
    [
        ("parent_id", 5, "parent_id: a string, not a number"),
        ("code", ["def keep(seed):"], "code: a string, not a array"),
        ("metadata", "island 0", "metadata: an object, not a string"),
        ("generation", "2", "generation: an integer, not a string"),
    ],
)
def test_a_program_json_with_wrong_types_is_refused_naming_file_and_field(
    project, copied, field, value, says
):
    file = a_program(copied("openevolve"))
    program = json.loads(file.read_text())
    file.write_text(json.dumps({**program, field: value}))
    message = refused("openevolve", file.parents[3])
    assert f"checkpoints/checkpoint_4/programs/{file.name}: {says}" in message


def test_a_wrong_type_inside_the_sqlite_json_is_refused(project, copied):
    database = copied("shinka") / "programs.sqlite"
    with closing(sqlite3.connect(database)) as connection, connection:
        connection.execute("UPDATE programs SET archive_inspiration_ids = '[1, 2]' WHERE generation = 3")
    assert "archive_inspiration_ids[0]: a string of at most 200 characters" in refused(
        "shinka", database.parent
    )


def test_json_nested_too_deep_or_cut_short_is_refused(project, copied):
    directory = copied("openevolve")
    file = a_program(directory)
    file.write_text(
        '{"id": "x", "code": "def keep(seed): return 1", "metadata": ' + "[" * 200 + "]" * 200 + "}"
    )
    assert "nested deeper than" in refused("openevolve", directory)
    file.write_text(file.read_text()[:50])
    assert "not JSON" in refused("openevolve", directory)


def test_a_lineage_that_loops_is_refused(project, copied):
    directory = copied("shinka")
    database = directory / "programs.sqlite"
    with closing(sqlite3.connect(database)) as connection, connection:
        first, second = [
            r[0] for r in connection.execute("SELECT id FROM programs WHERE generation IN (1, 2)")
        ]
        connection.execute("UPDATE programs SET parent_id = ? WHERE id = ?", (second, first))
        connection.execute("UPDATE programs SET parent_id = ? WHERE id = ?", (first, second))
    assert "is its own ancestor" in refused("shinka", directory)


def test_a_database_still_open_is_refused(project, copied):
    database = copied("shinka") / "programs.sqlite"
    database.with_name("programs.sqlite-wal").write_bytes(b"")
    assert "programs.sqlite-wal is beside it: the run is still open" in refused("shinka", database.parent)


def test_a_link_out_of_the_source_is_refused(project, copied, tmp_path):
    directory = copied("openevolve")
    elsewhere = tmp_path / "elsewhere"
    (directory / "checkpoints").rename(elsewhere)
    (directory / "checkpoints").symlink_to(elsewhere)
    assert "outside the directory given (through a link)" in refused("openevolve", directory)


def test_an_unknown_directory_is_refused(project, tmp_path):
    assert "no checkpoint_N directory" in refused("openevolve", tmp_path)
    assert "no programs.sqlite" in refused("shinka", tmp_path)
