"""A GP run whose database resets its weaker islands records each re-founding as a copy of the founder on the
island it went to, joined to the founder by a `reset_founder` edge: children bred there descend from the
copy, and the copies are records, not proposals (no evaluation, no share of the budget)."""

import pytest

from evolution.controller import Controller
from evolution.models import RunState
from provenance.models import Candidate, Edge, RunEvent
from provenance.verify import verify
from tests.evolution.conftest import config

pytestmark = pytest.mark.django_db(transaction=True)

BUDGET = 24


def test_each_reset_founder_is_copied_onto_its_island_with_a_reset_founder_edge(project, alice):
    controller = Controller.start(project, config(budget=BUDGET, database={"reset_period": 6}), user=alice)
    controller.evolve()
    run = controller.run
    resets = list(RunEvent.objects.filter(run=run, kind="reset").order_by("seq"))
    copies = list(Candidate.objects.filter(run=run, activity="island_reset").order_by("seq"))
    assert resets and len(copies) == len(resets)
    for event, copy in zip(resets, copies, strict=True):
        (edge,) = Edge.objects.filter(child=copy)
        founder = event.candidate
        assert (edge.role, edge.activity) == ("reset_founder", "island_reset")
        assert copy.island == event.payload["island"]
        # From the founder itself, or from its copy on the island it was taken from.
        assert edge.parent_id == founder.pk or edge.parent.params.get("copy_of") == founder.pk
        assert edge.parent.island in (None, event.payload["source_island"])
        assert (copy.source, copy.params["copy_of"]) == (founder.source, founder.pk)
        assert copy.agent.operator == "reset"
        assert copy.seq > event.seq and not copy.evaluations.exists()
    bred = Edge.objects.filter(parent__in=copies, child__activity__in=("gp_mutation", "gp_crossover"))
    assert bred.exists()  # a reset island holds its founder alone: the next step there breeds from the copy
    assert all(edge.child.island == edge.parent.island for edge in bred)
    state = RunState.objects.get(run=run)
    assert state.candidates == BUDGET == Candidate.objects.filter(run=run).count() - len(copies)
    assert all(report.intact for report in verify(run.pk))
