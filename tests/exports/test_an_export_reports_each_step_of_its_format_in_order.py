"""An export reports each step of its format as it reaches it, numbered out of the format's steps (a
crate's eight: reading, each format it carries, its metadata, its bag), and `manage.py export` says each
step on stderr; with nobody watching, an export reports nothing and makes the same file."""

import io
import re
import time

import pytest
from django.core.management import call_command

from provenance.exports import FORMATS, export
from provenance.exports.progress import STEPS

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_step_is_reported_once_in_order(story, fmt):
    reached = []
    export(fmt, candidate=story.final, report=reached.append)
    total = len(STEPS[fmt])
    assert [str(step) for step in reached] == [
        f"step {number} of {total}: {title}" for number, title in enumerate(STEPS[fmt], 1)
    ]


def test_a_crate_tells_eight_steps(story):
    reached = []
    export("crate", run=story.run, report=reached.append)
    assert [step.title for step in reached] == [
        "reading the records", "writing the transcript", "writing the AI-use disclosure",
        "writing the AI-use disclosure in LaTeX", "writing the PROV-JSON", "writing the JSONL archive",
        "describing the programs, tools and people", "checksumming and zipping the bag",
    ]


def test_unwatched_the_export_is_the_same(story):
    watched = export("jsonl", run=story.run, report=lambda step: None).content
    assert watched.splitlines()[1:] == export("jsonl", run=story.run).content.splitlines()[1:]  # 0: time


def test_the_command_says_each_step_on_stderr(story, tmp_path):
    err = io.StringIO()
    call_command("export", "--run", str(story.run.pk), "--format", "crate", "-o", str(tmp_path / "r.zip"),
                 stderr=err)
    lines = err.getvalue().splitlines()
    what = f"exporting run {story.run.pk} as crate"
    said = [line.removeprefix(f"{what}… ") for line in lines  # each step once, the ticks aside
            if line.startswith(f"{what}… step") and not re.search(r", \d+ s$", line)]
    assert said[0] == "step 1 of 8: reading the records"
    assert said[-1] == "step 8 of 8: checksumming and zipping the bag" and len(said) == 8
    assert lines[-2].startswith(f"{what}: ") and lines[-1].startswith("wrote ")


def test_the_ticks_repeat_the_step_reached():
    from provenance.ticker import ticking

    out = io.StringIO()
    with ticking(out, "exporting run 7 as crate", every=0.05) as ticker:
        ticker.say("step 2 of 8: writing the transcript")
        time.sleep(0.3)
    lines = out.getvalue().splitlines()
    assert lines[1] == "exporting run 7 as crate… step 2 of 8: writing the transcript"
    assert re.fullmatch(r"exporting run 7 as crate… step 2 of 8: writing the transcript, \d+ s", lines[2])
