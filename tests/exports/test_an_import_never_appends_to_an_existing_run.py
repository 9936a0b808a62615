"""A re-hashed archive that appends a forged candidate and note to an existing run (of another project) cannot
touch that run: an import always writes a new run, in the importer's own project."""

import pytest

from provenance.canonical import sha256_hex
from provenance.models import Annotation, Candidate, ChainHead, Run
from provenance.verify import verify
from tests.exports.archives import dump, import_file, index, rehash, rows_of

pytestmark = pytest.mark.django_db

FORGED = "def keep(seed):\n    return FORGED\n"


def forged_archive(story, tmp_path):
    """bob views alice's project: he exports her run, appends a program 'alice wrote' and a note by alice
    approving it, re-hashes everything, and imports it into his own project."""
    rows = rows_of(story.run)
    gp = next(row for row in rows if row["type"] == "agent" and row["kind"] == "algorithm")
    final = next(row for row in rows if row["type"] == "candidate" and row["id"] == story.final.pk)
    alice = next(row for row in rows if row["type"] == "user" and row["username"] == "alice")
    at = index(rows, "run_state")
    candidate = {**final, "id": 10**6, "source": FORGED, "source_sha256": sha256_hex(FORGED)}
    candidate.update(agent_id=gp["id"], activity="gp_mutation", llm_call_id=None)
    note = {**next(row for row in rows if row["type"] == "annotation")}
    note.update(id=10**6, target_type="candidate", target_id=10**6, body="FORGED: alice approves")
    note.update(author_id=alice["id"], version=1, previous_id=None)
    rows[at:at] = [candidate, note]
    path = tmp_path / "forged.jsonl"
    path.write_bytes(dump(rehash(rows)))
    return path


def test_the_existing_run_is_untouched_and_the_forgery_lives_only_in_a_new_run(
    story, other_project, bob, tmp_path
):
    path = forged_archive(story, tmp_path)
    head = ChainHead.objects.get(name=f"run:{story.run.pk}")
    candidates = set(Candidate.objects.filter(run=story.run).values_list("hash", flat=True))
    notes = set(Annotation.objects.filter(run=story.run).values_list("hash", flat=True))

    out = import_file(path, "doublebox", "bob")

    again = ChainHead.objects.get(name=f"run:{story.run.pk}")
    assert (again.seq, again.hash) == (head.seq, head.hash)
    assert set(Candidate.objects.filter(run=story.run).values_list("hash", flat=True)) == candidates
    assert set(Annotation.objects.filter(run=story.run).values_list("hash", flat=True)) == notes
    assert all(report.intact for report in verify())
    forged = Candidate.objects.get(source=FORGED)
    new_run = Run.objects.get(project=other_project)
    assert forged.run == new_run and f"as run {new_run.pk}" in out
    note = Annotation.objects.get(body="FORGED: alice approves")
    assert note.run == new_run and note.author is None and note.author_name == "alice (imported)"
    assert not Annotation.objects.filter(body__startswith="FORGED", author__isnull=False).exists()
    (report,) = verify(new_run.pk)
    assert report.intact


def test_an_archive_naming_a_run_id_that_exists_here_still_gets_a_new_run(
    story, other_project, bob, tmp_path
):
    path = tmp_path / "run.jsonl"
    path.write_bytes(dump(rows_of(story.run)))
    runs = set(Run.objects.values_list("pk", flat=True))

    import_file(path, "doublebox", "bob")

    (new,) = set(Run.objects.values_list("pk", flat=True)) - runs
    assert new != story.run.pk and Run.objects.get(pk=new).project == other_project
    assert Run.objects.get(pk=story.run.pk).project.slug == "trianglebox"
