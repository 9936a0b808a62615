import pytest
from django.urls import reverse

from provenance.models import Candidate, Edge

pytestmark = pytest.mark.django_db

EDITED = "def keep(seed):\n    return seed.r <= seed.r_top and seed.s <= seed.s_top\n"


def test_the_edit_page_opens_the_source(as_alice, founder):
    html = as_alice.get(reverse("pages:candidate-edit", args=[founder.pk])).content.decode()
    assert "seed.r_top + 1" in html and "<textarea" in html


def test_a_submitted_edit_is_attributed_linked_and_evaluated(
    as_alice, alice, founder, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = as_alice.post(reverse("pages:candidate-edit", args=[founder.pk]), {"source": EDITED})
    edit = Candidate.objects.exclude(pk=founder.pk).get()
    assert response["Location"] == reverse("pages:candidate", args=[edit.pk])
    assert edit.activity == "human_edit" and edit.agent.user == alice and edit.run_id == founder.run_id
    edge = Edge.objects.get(child=edit)
    assert (edge.parent_id, edge.role) == (founder.pk, "human_edit_of")
    evaluation = edit.evaluations.get()
    assert evaluation.problem == "rank3" and evaluation.verdict == "complete"
    html = as_alice.get(response["Location"]).content.decode()
    assert "human_edit_of" in html and "Written by" in html


def test_an_edit_that_is_not_a_program_is_refused_and_kept_in_the_form(as_alice, founder):
    response = as_alice.post(reverse("pages:candidate-edit", args=[founder.pk]), {"source": "   "})
    assert response.status_code == 400
    assert Candidate.objects.count() == 1
