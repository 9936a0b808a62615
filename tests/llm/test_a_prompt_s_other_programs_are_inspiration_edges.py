"""In an LLM run every program its prompt showed is an edge of the model's candidate: the last one shown (the
version the model is asked to improve) as `parent`, every other one as `inspiration`, each in its slot."""

import pytest

from evolution.controller import Controller
from provenance.models import Candidate, Edge
from provenance.verify import verify
from tests.llm.conftest import llm_config

pytestmark = pytest.mark.django_db(transaction=True)


def test_each_program_shown_is_the_parent_or_an_inspiration(server, project, alice):
    controller = Controller.start(project, llm_config(server, budget=12), user=alice)
    controller.evolve()
    made = Candidate.objects.filter(run=controller.run, activity="llm").select_related("llm_call__prompt")
    assert made.count() == 8
    inspired = 0
    for candidate in made:
        slots = candidate.llm_call.prompt.slots
        edges = Edge.objects.filter(child=candidate).order_by("slot")
        expected = [(s["slot"], s["candidate"], "inspiration") for s in slots[:-1]]
        expected.append((slots[-1]["slot"], slots[-1]["candidate"], "parent"))
        assert [(e.slot, e.parent_id, e.role) for e in edges] == expected
        assert {e.activity for e in edges} == {"llm"}
        inspired += len(slots) - 1
    assert inspired > 0  # prompts showed two programs, as FunSearch's do
    assert all(report.intact for report in verify(controller.run.pk))
