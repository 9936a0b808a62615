"""A run's state travels in its archive as one run_state line, read and restored by the room that keeps it
(evolution, registered in provenance.exports.runstate): its best candidate comes back as the new run's copy
of it. A run without state, or a server where no room registered, gives an archive without the line, and
its import writes no state."""

from decimal import Decimal

import pytest

from evolution.models import RunState
from provenance import ledger
from provenance.exports import export
from provenance.exports.loader import load
from provenance.models import Candidate

pytestmark = pytest.mark.django_db


def kinds(archive: bytes) -> list[str]:
    return [line.split(b'"type":"')[1].split(b'"')[0].decode() for line in archive.splitlines()]


def test_the_state_comes_back_with_its_best_candidate_mapped(story, other_project, bob):
    RunState.objects.filter(run=story.run).update(
        status="finished", candidates=5, evaluations=4, failures=1, cost=Decimal("0.0125"),
        best_score=-92.0, best_candidate=story.llm, message="budget reached",
    )

    archive = export("jsonl", run=story.run.pk).content
    (run,) = load(archive.splitlines(), project=other_project, user=bob).runs.values()

    state = RunState.objects.get(run=run)
    assert (state.status, state.candidates, state.evaluations, state.failures, state.message) == (
        "finished", 5, 4, 1, "budget reached"
    )
    assert (state.cost, state.best_score) == (Decimal("0.0125"), -92.0)
    assert state.best_candidate == Candidate.objects.get(run=run, source_sha256=story.llm.source_sha256)


def test_a_run_without_state_has_no_state_line_and_imports_without_one(project, alice, other_project, bob):
    bare = ledger.start_run(project, family="trianglebox", problems=["rank3"], engine="gp", started_by=alice)
    archive = export("jsonl", run=bare.pk).content
    assert "run_state" not in kinds(archive)

    (run,) = load(archive.splitlines(), project=other_project, user=bob).runs.values()

    assert not RunState.objects.filter(run=run).exists()


def test_with_no_room_registered_the_archive_has_no_state_line(story, other_project, bob, no_keeper):
    archive = export("jsonl", run=story.run.pk).content
    assert "run_state" not in kinds(archive) and "chain_head" in kinds(archive)

    (run,) = load(archive.splitlines(), project=other_project, user=bob).runs.values()

    assert not RunState.objects.filter(run=run).exists()
