"""A whole run's export of a run scored by a Pareto objective lists the run's results, its front: each
candidate complete on every problem that no other beats on every axis, with its totals, in the Markdown
transcript and the LaTeX supplement alike; a run with another objective lists none, and an objective
recorded as anything but a Pareto front of plain names (an archive may hold any text) is none either."""

from io import StringIO

import pytest
from django.core.management import call_command

from evolution.front import dominates
from evolution.runs import start_run
from provenance.exports.front import run_front
from provenance.exports.scope import run_scope
from provenance.exports.tex import escape
from provenance.exports.transcript import md
from provenance.models import Evaluation, Run

pytestmark = pytest.mark.django_db(transaction=True)  # the controller hands jobs out once committed

FRONT = "pareto(seeds,pivots)"


def evolve(alice, objective: str) -> Run:
    call_command("evolve", "--family", "trianglebox", "--problem", "rank1,rank2", "--budget", "24",
                 "--population", "6", "--seed", "2", "--user", alice.username, "--objective", objective,
                 "--json", "-v0", stdout=StringIO())
    return Run.objects.latest("pk")


def export(run: Run, fmt: str, tmp_path) -> str:
    path = tmp_path / f"run.{fmt}"
    call_command("export", "--run", str(run.pk), "--format", fmt, "-o", str(path), stderr=StringIO())
    return path.read_text()


def test_the_front_holds_exactly_the_complete_candidates_no_other_beats(project, alice):
    run = evolve(alice, FRONT)
    points = {}
    for e in Evaluation.objects.filter(run=run, verdict="complete"):
        points.setdefault(e.candidate_id, []).append(e.details["pareto"])
    totals = {c: tuple(-sum(col) for col in zip(*axes, strict=True))
              for c, axes in points.items() if len(axes) == 2}
    expected = {c for c, p in totals.items()
                if not any(dominates(tuple(-x for x in q), tuple(-x for x in p)) for q in totals.values())}
    front = run_front(run_scope(run))
    listed = {row.candidate.pk for row in front.rows}
    assert listed and listed <= expected  # equal points listed once
    assert {totals[c] for c in listed} == {totals[c] for c in expected}
    assert [row.totals[0] for row in front.rows] == sorted(row.totals[0] for row in front.rows)


def test_the_markdown_and_latex_exports_list_the_front(project, alice, tmp_path):
    run = evolve(alice, FRONT)
    front = run_front(run_scope(run))
    first = front.rows[0]
    markdown = export(run, "md", tmp_path)
    assert md(front.title) in markdown
    assert "| candidate | seeds in all | pivots in all |" in markdown
    assert f"| {first.candidate.pk} | {first.totals[0]} | {first.totals[1]} |" in markdown
    tex = export(run, "tex", tmp_path)
    assert rf"\paragraph{{{escape(front.title)}}}" in tex
    assert f"{first.candidate.pk} & {first.totals[0]} & {first.totals[1]} " in tex


def test_a_run_scored_otherwise_lists_no_front(project, alice, tmp_path):
    run = evolve(alice, "seeds")
    assert run_front(run_scope(run)) is None
    assert "objective pareto" not in export(run, "md", tmp_path)
    for recorded in ("pareto(seeds,<b>x</b>)", "pareto(seeds)", "pareto(seeds,pivots)+seeds", 7):
        other = start_run(project, family="trianglebox", problems=["rank1"], engine="gp", started_by=alice,
                          config={"objective": recorded})
        assert run_front(run_scope(other)) is None
