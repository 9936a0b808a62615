"""`manage.py seed_demo` writes a synthetic run through the ledger: every kind of step a real run has, notes,
evaluations, a best candidate; its chain verifies; its pages cost no more queries than a small run's."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from provenance.models import Annotation, Candidate, Edge, Membership, Run
from provenance.verify import verify
from tests.pages.test_candidate_page_query_count_does_not_grow_with_the_run import MAX_QUERIES

pytestmark = pytest.mark.django_db


def test_seed_demo_writes_a_realistic_run_that_verifies(alice, client):
    out = StringIO()
    call_command("seed_demo", candidates=400, project="demo", owner="alice", stdout=out)
    run = Run.objects.select_related("state").get(project__slug="demo")
    assert f"run {run.pk}: 400 candidates" in out.getvalue()
    assert Membership.objects.get(project=run.project, user=alice).role == "owner"

    assert run.candidates.count() == 400
    activities = set(Candidate.objects.filter(run=run).values_list("activity", flat=True))
    assert {"literature", "gp_mutation", "gp_crossover", "llm", "human_edit"} <= activities
    roles = set(Edge.objects.filter(run=run).values_list("role", flat=True))
    assert {"parent", "crossover_donor", "human_edit_of"} <= roles
    assert run.evaluations.count() == 400 and run.prompts.exists() and run.llm_calls.exists()
    assert Annotation.objects.filter(run=run).count() > 10
    assert run.state.status == "finished" and run.state.best_candidate_id is not None
    assert all(report.intact for report in verify(run.pk))

    client.force_login(alice)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("pages:candidate", args=[run.state.best_candidate_id])).status_code == 200
    assert len(captured) <= MAX_QUERIES


def test_seed_demo_refuses_an_unknown_owner(db):
    with pytest.raises(CommandError, match="no user"):
        call_command("seed_demo", candidates=20, owner="nobody", stdout=StringIO())


def test_seed_demo_s_model_steps_have_the_edges_an_llm_engine_writes(alice):
    # The last program a prompt shows is the one the model improves (its parent); the others inspired it.
    call_command("seed_demo", candidates=400, project="demo", owner="alice", stdout=StringIO())
    steps = Candidate.objects.filter(activity="llm").select_related("llm_call__prompt")
    assert steps.exists()
    for candidate in steps:
        slots = [slot["candidate"] for slot in candidate.llm_call.prompt.slots]
        edges = Edge.objects.filter(child=candidate).order_by("slot")
        assert [(e.parent_id, e.role) for e in edges] == [
            (pk, "parent" if i == len(slots) - 1 else "inspiration") for i, pk in enumerate(slots)
        ]
