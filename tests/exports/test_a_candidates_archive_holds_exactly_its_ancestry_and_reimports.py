"""A candidate's JSONL archive, from a real GP run, holds exactly its ancestry closure and the records that
closure needs (its edges, evaluations, events, notes), a part of the run's chain; `manage.py import` takes
it back as a new run that verifies; and a part is as tamper-evident as a whole run, record by record."""

import json

import pytest

from evolution.controller import Controller
from provenance.ancestry import ancestors
from provenance.exports import export
from provenance.models import Candidate, Edge, Evaluation, Run, RunEvent
from provenance.verify import verify
from tests.evolution.conftest import config
from tests.exports.archives import dump, import_file, refused

# The controller hands jobs out when their rows are committed, as it must for real workers.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def best(project, alice):
    """The candidate with the longest ancestry of a real GP run: crossovers and mutations of them."""
    controller = Controller.start(project, config(budget=30), user=alice)
    controller.evolve()
    candidates = Candidate.objects.filter(run=controller.run)
    return max(candidates, key=lambda candidate: (len(ancestors(candidate.pk).ids), candidate.pk))


def rows_for(candidate) -> list[dict]:
    return [json.loads(line) for line in export("jsonl", candidate=candidate.pk).content.splitlines()]


def ids(rows: list[dict], kind: str) -> set[int]:
    return {row["id"] for row in rows if row["type"] == kind}


def test_it_holds_exactly_the_ancestry_closure(best):
    family = ancestors(best.pk).ids
    assert 1 < len(family) < Candidate.objects.filter(run=best.run).count()

    rows = rows_for(best)

    assert ids(rows, "candidate") == family
    assert ids(rows, "edge") == set(Edge.objects.filter(child__in=family).values_list("pk", flat=True))
    assert ids(rows, "evaluation") == set(
        Evaluation.objects.filter(candidate__in=family).values_list("pk", flat=True)
    )
    events = RunEvent.objects.filter(candidate__in=family)
    assert ids(rows, "runevent") == set(events.values_list("pk", flat=True))
    assert rows[0]["partial"] == [f"run:{best.run_id}"] and "run_state" not in {row["type"] for row in rows}


def test_manage_py_import_takes_it_back_as_a_run_that_verifies(best, other_project, bob, tmp_path):
    path = tmp_path / "ancestry.jsonl"
    path.write_bytes(export("jsonl", candidate=best.pk).content)

    out = import_file(path, "doublebox", "bob")

    run = Run.objects.get(project=other_project)
    assert f"as run {run.pk}" in out
    copies = Candidate.objects.filter(run=run)
    assert {c.source_sha256 for c in copies} == set(
        Candidate.objects.filter(pk__in=ancestors(best.pk).ids).values_list("source_sha256", flat=True)
    )
    (report,) = verify(run.pk)
    assert report.intact
    event = RunEvent.objects.get(run=run, kind="import")
    assert event.payload["archive"]["partial"] is True
    focus = copies.get(source_sha256=best.source_sha256)
    assert ancestors(focus.pk).ids == set(copies.values_list("pk", flat=True))


def test_a_changed_record_of_a_part_is_refused_at_its_line(best, other_project, bob, tmp_path):
    rows = rows_for(best)
    at = next(i for i, row in enumerate(rows) if row["type"] == "evaluation")
    rows[at]["seeds"] += 1
    path = tmp_path / "ancestry.jsonl"
    path.write_bytes(dump(rows))

    message = refused(path, "doublebox", "bob")

    assert f"line {at + 1}" in message and "evaluation.hash" in message


def test_a_part_without_its_focus_is_refused(best, other_project, bob, tmp_path):
    rows = rows_for(best)
    rows[0]["focus"]["candidate"] = next(row["id"] for row in rows if row["type"] == "candidate"
                                         and row["id"] != best.pk)
    path = tmp_path / "ancestry.jsonl"
    path.write_bytes(dump(rows))

    assert "archive.focus" in refused(path, "doublebox", "bob")
