"""The rows of Shinka's attempt_log and generation_event_log tables (failed proposals, generation
bookkeeping) become `shinka_attempt` and `shinka_generation` events of the imported run, each about the
program it names; a row whose details are no JSON is refused with nothing written.

The fixture run wrote both tables (Shinka creates them in every program database) but no row: its proposals
all ended in a program and deadlock debugging was off. The rows here are written through the tables' own
columns, as Shinka's `record_attempt_event` and `record_generation_event` write them."""

import json
import sqlite3
from contextlib import closing

import pytest

from provenance.models import Run, RunEvent
from tests.sources.conftest import by_source_id, import_run
from tests.sources.test_a_damaged_source_is_refused_with_nothing_written import refused

pytestmark = pytest.mark.django_db


def log(database, parent: str, details: str | None = None) -> None:
    attempt = details or json.dumps(
        {"node_kind": "failed_proposal", "parent_id": parent, "patch_type": "full"}
    )
    with closing(sqlite3.connect(database)) as connection:
        connection.execute(
            "INSERT INTO attempt_log (generation, stage, status, details, created_at) VALUES (?, ?, ?, ?, ?)",
            (3, "patch", "failed", attempt, 1796529400.5),
        )
        connection.execute(
            "INSERT INTO generation_event_log (generation, status, source_job_id, details, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (
                4,
                "stopped_generation_budget_exhausted",
                "job-1",
                json.dumps({"completed_generations": 3}),
                1.0,
            ),
        )
        connection.commit()


def first_program(database) -> str:
    with closing(sqlite3.connect(database)) as connection:
        return connection.execute("SELECT id FROM programs ORDER BY rowid").fetchone()[0]


def test_log_rows_become_events_about_the_program_they_name(project, copied):
    database = copied("shinka") / "programs.sqlite"
    parent = first_program(database)
    log(database, parent)
    import_run("shinka", database.parent)
    run = Run.objects.get(engine="shinka")
    attempt = RunEvent.objects.get(run=run, kind="shinka_attempt")
    assert attempt.candidate == by_source_id(run)[parent]
    assert attempt.payload["stage"] == "patch" and attempt.payload["status"] == "failed"
    assert attempt.payload["details"]["node_kind"] == "failed_proposal"
    generation = RunEvent.objects.get(run=run, kind="shinka_generation")
    assert generation.candidate is None
    assert generation.payload["source_job_id"] == "job-1" and generation.payload["generation"] == 4


def test_the_fixture_run_has_the_tables_and_no_rows_so_no_such_events(project):
    from tests.sources.conftest import SHINKA

    import_run("shinka", SHINKA)
    assert not RunEvent.objects.filter(kind__in=["shinka_attempt", "shinka_generation"]).exists()


def test_a_log_row_whose_details_are_no_json_is_refused(project, copied):
    database = copied("shinka") / "programs.sqlite"
    log(database, "", details="{not json")
    message = refused("shinka", database.parent)
    assert "programs.sqlite, attempt_log row 1" in message and "details: not JSON" in message
