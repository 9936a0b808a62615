"""`manage.py export` says on stderr what it is exporting, how long it has been at it while it works, and
how long it took; with --verbosity 0 it says nothing."""

import io
import time

import pytest
from django.core.management import call_command

from provenance.ticker import ticking

pytestmark = pytest.mark.django_db


def test_a_long_step_ticks_while_it_works():
    out = io.StringIO()
    with ticking(out, "exporting run 7 as tex", every=0.05):
        time.sleep(0.3)
    lines = out.getvalue().splitlines()
    assert lines[0] == "exporting run 7 as tex…"
    assert any(line.startswith("exporting run 7 as tex… ") and line.endswith(" s") for line in lines[1:-1])
    assert lines[-1].startswith("exporting run 7 as tex: ") and lines[-1].endswith(" s")


def test_the_export_command_says_what_it_exports_and_when_it_is_done(story, tmp_path):
    err = io.StringIO()
    call_command("export", "--run", str(story.run.pk), "--format", "md", "-o", str(tmp_path / "r.md"),
                 stderr=err)
    said = err.getvalue()
    assert f"exporting run {story.run.pk} as md…" in said and f"exporting run {story.run.pk} as md: " in said
    assert "wrote " in said


def test_verbosity_0_is_quiet(story, tmp_path):
    err = io.StringIO()
    call_command("export", str(story.final.pk), "-o", str(tmp_path / "c.md"), "--verbosity", "0", stderr=err)
    assert "exporting" not in err.getvalue()
