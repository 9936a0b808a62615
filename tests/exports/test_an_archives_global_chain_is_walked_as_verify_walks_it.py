"""An archive's global chain (its agents, its runs, the notes on its agents) is walked record by record as
verify walks the global chain here: a note on an agent takes its place like an agent or a run, and the first
record links to the chain's start. Unlike verify, the walk may pass over records the archive leaves out (it
holds only the global records its runs need)."""

import pytest
from django.db import connection

from provenance import ledger
from provenance.immutability import triggers_dropped
from provenance.verify import verify
from tests.exports.archives import dump, import_file, refused, rehash, rows_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows(story, alice):
    note = ledger.annotate(story.founder.agent, "the rule of hep-ph/0102033", alice)
    ledger.annotate(story.founder.agent, "as in the paper", alice, previous=note)
    return rows_of(story.run)


def notes_on_agents(rows: list[dict]) -> list[dict]:
    return [row for row in rows if row["type"] == "annotation" and row["run_id"] is None]


def archive(tmp_path, rows: list[dict]):
    path = tmp_path / "archive.jsonl"
    path.write_bytes(dump(rows))
    return path


def test_notes_on_agents_are_imported_from_the_global_chain(rows, other_project, tmp_path):
    first, second = notes_on_agents(rows)
    assert second["seq"] == first["seq"] + 1 and second["prev_hash"] == first["hash"]

    import_file(archive(tmp_path, rows), "doublebox", "bob")

    assert all(report.intact for report in verify())


def test_a_note_on_an_agent_may_follow_records_the_archive_left_out(rows, other_project, tmp_path):
    notes_on_agents(rows)[-1]["seq"] += 1

    import_file(archive(tmp_path, rehash(rows)), "doublebox", "bob")

    assert all(report.intact for report in verify())


def test_a_note_on_an_agent_may_not_take_the_seq_of_the_record_before_it(rows, other_project, tmp_path):
    first, second = notes_on_agents(rows)
    second["seq"] = first["seq"]

    message = refused(archive(tmp_path, rehash(rows)), "doublebox", "bob")

    assert f"annotation.seq: seq {first['seq']} appears twice (global)" in message


def test_the_first_global_record_links_to_the_start_of_the_chain(story, rows, other_project, tmp_path):
    (first,) = [row for row in rows if row["type"] == "run"]
    assert first["seq"] == 1
    first["prev_hash"] = "ab" * 32  # re-hashed: only its link is wrong

    message = refused(archive(tmp_path, rehash(rows)), "doublebox", "bob")

    # verify names the same fault in the same words when a run here has it.
    with triggers_dropped(connection), connection.cursor() as cursor:
        cursor.execute("UPDATE provenance_run SET prev_hash = %s WHERE id = %s", ["ab" * 32, story.run.pk])
    mismatch = verify()[0].mismatch
    assert (mismatch.table, mismatch.seq) == ("run", 1)
    assert f"run.prev_hash: {mismatch.reason} (global)" in message
