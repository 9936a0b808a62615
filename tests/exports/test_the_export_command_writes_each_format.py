"""manage.py export writes every format for a candidate or a run, and refuses what does not exist."""

import pytest
from django.core.management import CommandError, call_command

from provenance.exports import FORMATS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_it_writes_a_candidates_export(story, fmt, tmp_path):
    path = tmp_path / f"out.{fmt}"
    call_command("export", str(story.final.pk), "--format", fmt, "-o", str(path))
    assert path.stat().st_size > 0


def test_it_writes_a_whole_run(story, tmp_path):
    path = tmp_path / "run.md"
    call_command("export", "--run", str(story.run.pk), "--format", "md", "-o", str(path))
    assert "STRANGER" in path.read_text()


def test_it_refuses_a_missing_candidate_or_both(story, tmp_path):
    with pytest.raises(CommandError, match="no candidate 999999"):
        call_command("export", "999999", "-o", str(tmp_path / "x"))
    with pytest.raises(CommandError, match="name a candidate, or --run"):
        call_command("export", str(story.final.pk), "--run", str(story.run.pk))
