import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_run_and_its_candidates(as_alice, run, founder, mutate):
    child = mutate(founder, score=-100)
    data = as_alice.get(reverse("pages:api-run", args=[run.pk])).json()
    assert data["title"] == "Night run" and data["role"] == "owner" and data["problems"] == ["rank3"]
    listing = as_alice.get(reverse("pages:api-run-candidates", args=[run.pk])).json()
    assert [row["id"] for row in listing["candidates"]] == [founder.pk, child.pk]
    assert listing["candidates"][0]["agent__kind"] == "literature"


def test_a_candidate_with_parents_and_evaluations(as_alice, founder, mutate, llm_step):
    child = mutate(founder, score=-100)
    step = llm_step(child)
    data = as_alice.get(reverse("pages:api-candidate", args=[step.candidate.pk])).json()
    assert data["parents"] == [{"parent_id": child.pk, "role": "parent", "slot": "v0", "activity": "llm"}]
    assert data["evaluations"][0]["seeds"] == 92
    assert data["response_text"].startswith("def keep_v2")
    assert data["agent"]["kind"] == "model"


def test_a_viewer_reads_the_api(as_bob, run, founder):
    assert as_bob.get(reverse("pages:api-candidate", args=[founder.pk])).json()["source"] == founder.source
