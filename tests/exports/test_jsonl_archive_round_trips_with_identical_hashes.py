"""A run's JSONL archive imported into an empty database gives back identical records and chain heads."""

import json

import pytest
from django.core.management import call_command

from provenance.exports import export
from provenance.exports.loader import load
from provenance.models import Annotation, AnnotationHead, Candidate, ChainHead
from provenance.verify import verify
from tests.exports.conftest import empty_database

pytestmark = pytest.mark.django_db


def body(archive: bytes) -> list[dict]:
    rows = [json.loads(line) for line in archive.splitlines()]
    rows[0].pop("exported_at")
    return rows


def test_it_reproduces_every_record_and_the_chain_head(story):
    archive = export("jsonl", run=story.run.pk).content
    head = ChainHead.objects.get(name=f"run:{story.run.pk}")
    empty_database()
    assert not Candidate.objects.exists()

    report = load(archive.splitlines(keepends=True))

    assert report.added["candidate"] == 5 and report.present == 0
    assert body(export("jsonl", run=story.run.pk).content) == body(archive)
    again = ChainHead.objects.get(name=f"run:{story.run.pk}")
    assert (again.seq, again.hash) == (head.seq, head.hash)
    (report,) = verify(story.run.pk)
    assert report.intact and report.hash == head.hash
    current = AnnotationHead.objects.get(target_type="candidate", target_id=story.final.pk).current
    assert current.version == 2


def test_a_candidates_archive_holds_its_whole_run(story):
    rows = body(export("jsonl", candidate=story.final.pk).content)
    assert rows[0]["focus"] == {"candidate": story.final.pk, "hash": story.final.hash}
    assert story.stranger.hash in {row.get("hash") for row in rows}


def test_importing_it_twice_adds_nothing(story, tmp_path):
    path = tmp_path / "run.jsonl"
    path.write_bytes(export("jsonl", run=story.run.pk).content)
    empty_database()
    call_command("import", str(path), stdout=open(tmp_path / "out1", "w"))
    counts = (Candidate.objects.count(), Annotation.objects.count())

    report = load(path.read_bytes().splitlines())

    assert report.total == 0 and report.present > 0
    assert (Candidate.objects.count(), Annotation.objects.count()) == counts


def test_it_imports_into_the_database_it_came_from_without_adding(story):
    report = load(export("jsonl", run=story.run.pk).content.splitlines())
    assert report.total == 0


def test_the_whole_ledger_verifies_after_an_import_that_left_gaps_on_the_global_chain(story, project, alice):
    # Another run first, so this run's global records are not at the start of the global chain.
    from provenance import ledger

    ledger.start_run(project, family="box1", problems=["massless"], engine="gp", started_by=alice)
    later = ledger.start_run(project, family="trianglebox", problems=["rank3"], engine="gp", started_by=alice)
    archive = export("jsonl", run=story.run.pk).content
    empty_database()
    load(archive.splitlines(keepends=True))
    reports = verify()
    assert all(report.intact for report in reports), [str(r.mismatch) for r in reports]
    assert later.pk not in [r.name for r in reports]


def test_a_gap_an_import_did_not_leave_is_still_caught(story, project, alice):
    from django.db import connection

    from provenance import ledger
    from provenance.immutability import triggers_dropped
    from provenance.models import Run, RunState

    doomed = ledger.start_run(project, family="box1", problems=["massless"], engine="gp", started_by=alice)
    ledger.start_run(project, family="box1", problems=["massless"], engine="gp", started_by=alice)
    with triggers_dropped(connection):
        ChainHead.objects.filter(name=f"run:{doomed.pk}").delete()
        RunState.objects.filter(run=doomed).delete()
        Run.objects.filter(pk=doomed.pk).delete()
    (global_report, *_) = verify()
    assert not global_report.intact and "sequence gap" in global_report.mismatch.reason
