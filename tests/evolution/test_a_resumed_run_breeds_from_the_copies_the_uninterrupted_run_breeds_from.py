"""Stopped mid-run and resumed, a run whose islands are reset and migrate makes the same copies, and breeds
from them, as the same run left alone: which copy stands for a program on an island is read back from the
records."""

import pytest

from evolution.controller import Controller
from provenance.models import Candidate, Edge
from provenance.verify import verify
from tests.evolution.conftest import config

pytestmark = pytest.mark.django_db(transaction=True)

SETTINGS = dict(budget=30, seed=6, database={"reset_period": 7, "migration_period": 5})


def lineage(run) -> list[tuple]:
    """Each candidate's activity, island and edges, candidates named by their position in the run."""
    position = {pk: i for i, pk in enumerate(Candidate.objects.filter(run=run).order_by("seq")
                                             .values_list("pk", flat=True))}
    edges = {}
    for edge in Edge.objects.filter(run=run):
        edges.setdefault(edge.child_id, []).append((edge.role, edge.slot, position[edge.parent_id]))
    return [(c.activity, c.island, sorted(edges.get(c.pk, [])))
            for c in Candidate.objects.filter(run=run).order_by("seq")]


def stop_after(evaluations: int):
    def progress(p):
        if p.evaluations >= evaluations:
            raise KeyboardInterrupt("stopped by the test")

    return progress


def test_the_resumed_run_has_the_uninterrupted_run_s_copies_and_children(project, alice):
    straight = Controller.start(project, config(**SETTINGS), user=alice)
    straight.evolve()
    interrupted = Controller.start(project, config(**SETTINGS), user=alice)
    with pytest.raises(KeyboardInterrupt):
        interrupted.evolve(progress=stop_after(15))
    copies_before = Candidate.objects.filter(run=interrupted.run, activity__in=("island_reset", "migration"))
    assert copies_before.exists()  # the resumed controller has copies to find
    Controller.resume(interrupted.run).evolve()
    expected = lineage(straight.run)
    assert lineage(interrupted.run) == expected
    assert {"island_reset", "migration"} <= {activity for activity, _, _ in expected}
    bred = [edges for activity, _, edges in expected if activity.startswith("gp_")]
    copied = {i for i, (activity, _, _) in enumerate(expected) if activity in ("island_reset", "migration")}
    assert any(parent in copied for edges in bred for _, _, parent in edges)
    assert all(report.intact for report in verify(interrupted.run.pk))
