"""A prompts.sqlite that is cut short, still open, holds a prompt of the wrong type, a prompt lineage that
loops, or a prompt that contradicts the program database is refused naming the file and the field, and
nothing is written."""

import sqlite3
from contextlib import closing

import pytest

from tests.sources.test_a_damaged_source_is_refused_with_nothing_written import refused

pytestmark = pytest.mark.django_db


def change(database, sql: str, *args) -> None:
    with closing(sqlite3.connect(database)) as connection:
        connection.execute(sql, args)
        connection.commit()


def test_a_truncated_prompts_database_is_refused(project, copied):
    database = copied("shinka") / "prompts.sqlite"
    database.write_bytes(database.read_bytes()[: len(database.read_bytes()) // 2])
    assert "prompts.sqlite" in refused("shinka", database.parent)


def test_a_prompts_database_still_open_is_refused(project, copied):
    database = copied("shinka") / "prompts.sqlite"
    database.with_name("prompts.sqlite-wal").write_bytes(b"")
    assert "prompts.sqlite-wal is beside it" in refused("shinka", database.parent)


@pytest.mark.parametrize(
    "sql, says",
    [
        ("UPDATE system_prompts SET generation = 'two'", "generation: an integer, not a string"),
        ("UPDATE system_prompts SET metadata = '[1'", "metadata: not JSON"),
        ("UPDATE system_prompts SET program_ids = '{\"a\": 1}'", "program_ids: an array of strings"),
        ("UPDATE system_prompts SET parent_id = id", "is its own ancestor"),
    ],
)
def test_a_prompt_row_of_the_wrong_shape_is_refused_naming_the_field(project, copied, sql, says):
    database = copied("shinka") / "prompts.sqlite"
    change(database, sql)
    message = refused("shinka", database.parent)
    assert "prompts.sqlite, system_prompts row" in message and says in message


def test_a_program_claimed_by_another_prompt_than_the_one_it_names_is_refused(project, copied):
    directory = copied("shinka")
    with closing(sqlite3.connect(directory / "programs.sqlite")) as connection:
        program, sent = connection.execute(
            "SELECT id, system_prompt_id FROM programs WHERE system_prompt_id IS NOT NULL"
        ).fetchone()
    change(directory / "prompts.sqlite", "UPDATE system_prompts SET program_ids = '[]'")
    change(
        directory / "prompts.sqlite",
        "UPDATE system_prompts SET program_ids = json_array(?) "
        "WHERE id = (SELECT id FROM system_prompts WHERE id != ? LIMIT 1)",
        program,
        sent,
    )
    message = refused("shinka", directory)
    assert "system_prompt_id" in message and program in message
