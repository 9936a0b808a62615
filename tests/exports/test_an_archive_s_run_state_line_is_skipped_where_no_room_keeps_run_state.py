"""An archive from a server that keeps run state has a run_state line; a server where no room registered to
keep run state (provenance.exports.runstate) imports the archive's records and skips that line."""

import pytest

from evolution.models import RunState
from provenance.exports import export, runstate
from provenance.exports.loader import load
from provenance.models import Candidate

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive_with_state(story) -> bytes:
    archive = export("jsonl", run=story.run.pk).content
    assert b'"type":"run_state"' in archive
    return archive


def test_the_records_come_in_and_the_state_line_is_skipped(
    archive_with_state, story, other_project, bob, no_keeper
):
    assert not runstate.kept()

    report = load(archive_with_state.splitlines(), project=other_project, user=bob)

    (run,) = report.runs.values()
    assert Candidate.objects.filter(run=run).count() == Candidate.objects.filter(run=story.run).count()
    assert not RunState.objects.filter(run=run).exists()


def test_with_a_room_registered_the_same_archive_restores_the_state(archive_with_state, other_project, bob):
    assert runstate.kept()

    (run,) = load(archive_with_state.splitlines(), project=other_project, user=bob).runs.values()

    assert RunState.objects.filter(run=run).exists()
