"""`--engine mixed`: LLM and GP share one population, so the lineage crosses engines both ways —
an LLM program bred by GP, and that GP child shown to the model in a later prompt."""

import pytest

from evolution.controller import Controller
from evolution.models import RunState
from provenance.models import Candidate, Edge
from provenance.verify import verify
from tests.llm.conftest import llm_config

pytestmark = pytest.mark.django_db(transaction=True)

GP = ("gp_crossover", "gp_mutation")


def test_the_lineage_runs_llm_to_gp_to_llm(server, project, alice):
    config = llm_config(server, engine="mixed", budget=30, seed=2, llm={"ratio": 0.5, "samples": 1})
    controller = Controller.start(project, config, user=alice)
    controller.evolve()
    run = controller.run
    edges = Edge.objects.filter(run=run).select_related("parent", "child")
    kinds = {c.pk: c.activity for c in Candidate.objects.filter(run=run)}
    pairs = {(e.parent_id, e.child_id) for e in edges}
    llm_to_gp = {(a, b) for a, b in pairs if kinds[a] == "llm" and kinds[b] in GP}
    gp_to_llm = {(a, b) for a, b in pairs if kinds[a] in GP and kinds[b] == "llm"}
    chains = [(a, b, c) for a, b in llm_to_gp for b2, c in gp_to_llm if b == b2]
    assert chains, f"no LLM → GP → LLM chain in {sorted(llm_to_gp)} / {sorted(gp_to_llm)}"
    # The LLM child's parent was in its prompt, in the slot its edge names: the last slot is the version the
    # model improves (its parent), the others inspire it.
    _, middle, last = chains[0]
    child = Candidate.objects.get(pk=last)
    edge = Edge.objects.get(child=child, parent_id=middle)
    slots = child.llm_call.prompt.slots
    assert {"slot": edge.slot, "candidate": middle} in slots
    assert edge.role == ("parent" if edge.slot == slots[-1]["slot"] else "inspiration")
    assert RunState.objects.get(run=run).message == "budget reached"
    assert all(report.intact for report in verify(run.pk))
