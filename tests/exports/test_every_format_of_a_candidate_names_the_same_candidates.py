"""Every format of one candidate is scoped alike: its ancestry closure (ancestors, and whatever a prompt of
theirs showed), never the rest of the run; only a run export holds the whole run."""

import io
import json
import re
import zipfile

import pytest

from provenance import ledger
from provenance.exports import FORMATS, export
from provenance.exports.scope import closure
from tests.steps import record_llm_step

pytestmark = pytest.mark.django_db

STEP = re.compile(r"Step \d+: candidate (\d+)")


def named(fmt: str, content: bytes, hashes: dict[str, int]) -> set[int]:
    """The candidates an export holds, by id."""
    if fmt == "jsonl":
        return {row["id"] for row in map(json.loads, content.splitlines()) if row["type"] == "candidate"}
    if fmt == "prov":
        entities = json.loads(content)["entity"]
        prefix = "st:candidate-"
        return {hashes[key.removeprefix(prefix)] for key in entities if key.startswith(prefix)}
    if fmt in ("md", "tex"):
        return {int(pk) for pk in STEP.findall(content.decode())}
    with zipfile.ZipFile(io.BytesIO(content)) as crate:
        programs = {int(re.search(r"candidate-(\d+)\.py", name)[1]) for name in crate.namelist()
                    if name.startswith("data/programs/")}
        inside = {fmt: named(fmt, crate.read(f"data/{name}"), hashes)
                  for fmt, name in [("jsonl", "archive.jsonl"), ("prov", "provenance.prov.json"),
                                    ("md", "transcript.md")]}
    assert all(found == programs for found in inside.values()), inside
    return programs


@pytest.fixture
def shown(story, gpt):
    """An LLM step whose prompt showed the stranger (no ancestor of final) but whose edge names final only."""
    return record_llm_step(
        story.run,
        prompt=dict(template_name="funsearch", template_version="2", text="improve",
                    slots=[story.stranger, story.final]),
        call=dict(agent=gpt, response_text="def keep_v2(seed):\n    return seed.d == 0\n"),
        candidate=dict(source="def keep(seed):\n    return seed.d == 0\n", parents=[(story.final, "parent")]),
    ).candidate


@pytest.fixture
def gpt():
    return ledger.model_agent("openai", "gpt-4o-mini", version="2024-07-18", params={"temperature": 0.8})


@pytest.mark.parametrize("fmt", ["jsonl", "prov", "md", "tex", "crate"])
def test_each_format_holds_exactly_the_ancestry(story, fmt):
    hashes = {c.hash: c.pk for c in [story.founder, story.mutant, story.llm, story.final, story.stranger]}
    found = named(fmt, export(fmt, candidate=story.final.pk).content, hashes)
    assert found == {story.founder.pk, story.mutant.pk, story.llm.pk, story.final.pk}


def test_a_candidate_shown_in_a_prompt_is_held_by_every_format(story, shown):
    from provenance.models import Candidate

    hashes = dict(Candidate.objects.values_list("hash", "pk"))
    expected = closure(shown.pk)
    assert story.stranger.pk in expected
    for fmt in ["jsonl", "prov", "md", "tex", "crate"]:
        assert named(fmt, export(fmt, candidate=shown.pk).content, hashes) == expected, fmt
    disclosure = export("disclosure", candidate=shown.pk).content.decode()
    assert f"its {len(expected) - 1} ancestors" in disclosure
    assert set(FORMATS) == {"md", "tex", "jsonl", "prov", "crate", "disclosure", "disclosure-tex"}


def test_only_a_run_export_holds_the_whole_run(story):
    rows = [json.loads(line) for line in export("jsonl", run=story.run.pk).content.splitlines()]
    assert story.stranger.pk in {row["id"] for row in rows if row["type"] == "candidate"}
    assert rows[0]["partial"] == []
