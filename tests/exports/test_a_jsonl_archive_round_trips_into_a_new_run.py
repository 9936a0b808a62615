"""A run's JSONL archive imported into another project gives a new run with the same content (programs,
scores, lineage, prompts, calls, notes, events), authors as imported names; it verifies, and its own archive
imports again. (Formerly: imported into an empty database with identical ids, hashes and chain head.)"""

import json

import pytest
from django.db import connection

from evolution.models import RunState
from provenance import ledger
from provenance.exports import export
from provenance.exports.loader import load
from provenance.immutability import triggers_dropped
from provenance.models import (
    Annotation,
    Candidate,
    ChainHead,
    Edge,
    Evaluation,
    ImportedGap,
    LLMCall,
    Prompt,
    Run,
    RunEvent,
)
from provenance.verify import verify
from tests.exports.archives import import_file

pytestmark = pytest.mark.django_db


def body(archive: bytes) -> list[dict]:
    rows = [json.loads(line) for line in archive.splitlines()]
    rows[0].pop("exported_at")
    return rows


def content(run: Run) -> dict:
    """Everything a run holds, without ids or hashes (which an import changes): compared across an import."""
    sha = {c.pk: c.source_sha256 for c in Candidate.objects.filter(run__project=run.project)}

    def author(note):
        return note.author_name if note.author_id is None else f"{note.author.get_username()} (imported)"

    def who(agent):
        return (agent.kind, agent.name.removesuffix(" (imported)"), agent.model, agent.engine, agent.citation)

    def target(note):
        record = note.target_type, note.target_id
        return "run" if record[0] == "run" else (record[0], Candidate.objects.filter(pk=record[1]).exists())

    calls = [f for f in ledger.LLM_CALL_FIELDS if f != "archived"]
    evaluations = [f for f in ledger.EVALUATION_FIELDS if f != "archived"]
    return {
        "run": (run.family, run.problems, run.engine, run.title, run.random_seed, run.code_version),
        "config": run.config,
        "candidates": [
            (c.source, c.source_sha256, c.ast_hash, c.activity, who(c.agent), c.params, c.island)
            for c in Candidate.objects.filter(run=run).order_by("seq")
        ],
        "evaluations": [
            (sha[e.candidate_id], *(getattr(e, f) for f in evaluations))
            for e in Evaluation.objects.filter(run=run).order_by("seq")
        ],
        "edges": [
            (sha[e.child_id], sha[e.parent_id], e.role, e.slot, e.activity)
            for e in Edge.objects.filter(run=run).order_by("seq")
        ],
        "prompts": [
            (p.template_name, p.template_version, p.text, [(s["slot"], sha[s["candidate"]]) for s in p.slots])
            for p in Prompt.objects.filter(run=run).order_by("seq")
        ],
        "calls": [
            (who(c.agent), c.prompt.text, *(getattr(c, f) for f in calls))
            for c in LLMCall.objects.filter(run=run).order_by("seq")
        ],
        "notes": [
            (target(n), n.body, n.version, author(n))
            for n in Annotation.objects.filter(run=run).order_by("seq")
        ],
        "events": [
            (e.kind, e.payload, e.candidate and sha[e.candidate_id])
            for e in RunEvent.objects.filter(run=run).exclude(kind="import").order_by("seq")
        ],
        "state": RunState.objects.filter(run=run).values_list("status", "candidates", "evaluations").first(),
    }


def intact() -> bool:
    return all(report.intact for report in verify())


def test_it_reproduces_every_record_in_a_new_run(story, other_project, bob, tmp_path):
    path = tmp_path / "run.jsonl"
    path.write_bytes(export("jsonl", run=story.run.pk).content)

    import_file(path, "doublebox", "bob")

    run = Run.objects.get(project=other_project)
    assert content(run) == content(story.run)
    assert len(content(run)["candidates"]) == 5
    (report,) = verify(run.pk)
    assert report.intact and intact()
    first = Annotation.objects.get(run=run, archived__id=story.note.pk)
    assert AnnotationHeadCurrent(first).version == 2
    for model in (Candidate, Evaluation, Edge, Prompt, LLMCall, Annotation, RunEvent):
        for record in model.objects.filter(run=run).exclude(archived=None):
            assert record.archived["hash"] == model.objects.get(pk=record.archived["id"]).hash


def AnnotationHeadCurrent(note: Annotation) -> Annotation:  # noqa: N802 - reads as the thing it returns
    from provenance.models import AnnotationHead

    return AnnotationHead.objects.get(first=note).current


def test_its_own_archive_imports_again(story, other_project, project, bob, alice):
    first = load(
        export("jsonl", run=story.run.pk).content.splitlines(keepends=True), project=other_project, user=bob
    )
    (run,) = first.runs.values()
    again = export("jsonl", run=run.pk).content

    second = load(again.splitlines(keepends=True), project=project, user=alice)

    (copy,) = second.runs.values()
    assert content(copy)["candidates"] == content(run)["candidates"] == content(story.run)["candidates"]
    assert content(copy)["notes"] == content(story.run)["notes"]
    # The first import's own record travels with the run, as a record of it.
    kinds = list(RunEvent.objects.filter(run=copy).order_by("seq").values_list("kind", flat=True))
    assert kinds[-2:] == ["import", "import"]
    assert intact()


def test_a_candidates_archive_holds_its_ancestry_not_its_whole_run(story):
    # Formerly the whole run (issue 15): "download its ancestry" now downloads its ancestry.
    rows = body(export("jsonl", candidate=story.final.pk).content)
    assert rows[0]["focus"] == {"candidate": story.final.pk, "hash": story.final.hash}
    assert story.stranger.hash not in {row.get("hash") for row in rows}


def test_an_ancestry_across_two_runs_comes_back_as_two_runs(story, project, alice, other_project, bob):
    later = ledger.start_run(project, family="trianglebox", problems=["rank3"], engine="gp", started_by=alice)
    child = ledger.record_candidate(
        later,
        source="def keep(seed):\n    return seed.r <= 1\n",
        activity="gp_mutation",
        agent=story.final.agent,
        parents=[(story.final, "parent")],
    )

    report = load(
        export("jsonl", candidate=child.pk).content.splitlines(keepends=True), project=other_project, user=bob
    )

    assert set(report.runs) == {story.run.pk, later.pk}
    new_child = Candidate.objects.get(run=report.runs[later.pk], source_sha256=child.source_sha256)
    (edge,) = Edge.objects.filter(child=new_child)
    assert edge.parent.run == report.runs[story.run.pk]
    assert edge.parent.source_sha256 == story.final.source_sha256
    assert intact()


def test_an_import_leaves_no_gap_on_the_global_chain(story, project, alice, other_project, bob):
    ledger.start_run(project, family="box1", problems=["massless"], engine="gp", started_by=alice)
    load(export("jsonl", run=story.run.pk).content.splitlines(), project=other_project, user=bob)
    assert not ImportedGap.objects.exists()
    assert intact()


def test_a_gap_an_earlier_import_left_still_verifies(project, alice):
    # Imports of the earlier design inserted archived global records at their original positions and marked
    # the jump with an ImportedGap; databases holding them must still verify.
    ledger.start_run(project, family="box1", problems=["massless"], engine="gp", started_by=alice)
    missing = ledger.start_run(project, family="box1", problems=["massless"], engine="gp", started_by=alice)
    after = ledger.start_run(project, family="box1", problems=["massless"], engine="gp", started_by=alice)
    with triggers_dropped(connection):
        ChainHead.objects.filter(name=f"run:{missing.pk}").delete()
        RunState.objects.filter(run=missing).delete()
        Run.objects.filter(pk=missing.pk).delete()
    ImportedGap.objects.create(chain=ChainHead.GLOBAL, seq=after.seq, prev_hash=after.prev_hash)
    assert intact()


def test_a_gap_an_import_did_not_leave_is_still_caught(story, project, alice):
    doomed = ledger.start_run(project, family="box1", problems=["massless"], engine="gp", started_by=alice)
    ledger.start_run(project, family="box1", problems=["massless"], engine="gp", started_by=alice)
    with triggers_dropped(connection):
        ChainHead.objects.filter(name=f"run:{doomed.pk}").delete()
        RunState.objects.filter(run=doomed).delete()
        Run.objects.filter(pk=doomed.pk).delete()
    (global_report, *_) = verify()
    assert not global_report.intact and "sequence gap" in global_report.mismatch.reason
