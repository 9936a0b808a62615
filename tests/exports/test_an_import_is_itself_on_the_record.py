"""What an import changed is itself on the record: the new run's last record says who imported which file
(its SHA-256), what the archive claimed (its chain heads, its record count) and everything it changed."""

import hashlib
import json

import pytest

from provenance.chain import Hashes, content_hash
from provenance.models import Candidate, ChainHead, Run, RunEvent
from provenance.verify import verify
from tests.exports.archives import archive_of, import_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def path(story, tmp_path):
    return archive_of(story.run, tmp_path)


def test_the_last_record_of_the_new_run_says_who_what_and_what_changed(story, path, other_project, bob):
    header = json.loads(path.read_bytes().splitlines()[0])
    records = sum(1 for line in path.read_bytes().splitlines() if json.loads(line)["type"] in RECORDS)

    import_file(path, "doublebox", "bob")

    run = Run.objects.get(project=other_project)
    head = ChainHead.objects.get(name=f"run:{run.pk}")
    event = RunEvent.objects.get(run=run, kind="import")
    assert (event.seq, event.hash) == (head.seq, head.hash)  # the last record of the chain
    assert content_hash(event, Hashes([run])) == event.hash
    payload = event.payload
    assert payload["imported_by"] == {"id": bob.pk, "username": "bob"}
    assert payload["archive"]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert payload["archive"]["claimed_chain_heads"] == header["chain_heads"]
    assert payload["archive"]["records"] == records and payload["archive"]["run"] == story.run.pk
    changes = payload["changes"]
    assert changes["project"]["archived"]["slug"] == "trianglebox"
    assert changes["project"]["here"] == {"id": other_project.pk, "slug": "doublebox"}
    assert {"archived": "alice", "here": "alice (imported)"} in changes["authors"]
    assert changes["server_settings"][0]["setting"] == "limits"
    assert changes["ids"]["run"] == {str(story.run.pk): run.pk}
    assert changes["ids"]["candidate"][str(story.final.pk)] == Candidate.objects.get(
        run=run, archived__id=story.final.pk
    ).pk
    assert all(report.intact for report in verify())


def test_each_record_keeps_its_archived_hash(story, path, other_project, bob):
    import_file(path, "doublebox", "bob")
    run = Run.objects.get(project=other_project)
    for candidate in Candidate.objects.filter(run=run):
        original = Candidate.objects.get(pk=candidate.archived["id"])
        assert candidate.archived["hash"] == original.hash != candidate.hash
    assert run.archived["hash"] == story.run.hash


def test_the_import_row_finds_it(path, other_project, bob):
    from provenance.models import Import

    import_file(path, "doublebox", "bob")
    run = Run.objects.get(project=other_project)
    row = Import.objects.get(run=run)
    assert (row.imported_by, row.project, row.archive_name) == (bob, other_project, "run.jsonl")
    assert row.archive_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert row.record == RunEvent.objects.get(run=run, kind="import")
    assert row.claimed_heads == json.loads(path.read_bytes().splitlines()[0])["chain_heads"]
    assert row.archived_records > 0


def test_importing_the_same_file_twice_gives_two_runs_and_names_the_first(path, other_project, bob):
    import_file(path, "doublebox", "bob")
    first = Run.objects.get(project=other_project)

    out = import_file(path, "doublebox", "bob")

    second = Run.objects.filter(project=other_project).exclude(pk=first.pk).get()
    assert f"was imported before, as run {first.pk} by bob" in out
    assert f"as run {second.pk}" in out
    assert Candidate.objects.filter(run=first).count() == Candidate.objects.filter(run=second).count()
    assert all(report.intact for report in verify())


RECORDS = {"agent", "run", "prompt", "llmcall", "candidate", "evaluation", "edge", "annotation", "runevent"}
