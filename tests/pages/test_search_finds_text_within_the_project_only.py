import pytest
from django.urls import reverse

from provenance import ledger

pytestmark = pytest.mark.django_db


def search(client, project, query):
    return client.get(reverse("pages:search", args=[project.slug]), {"q": query}).content.decode()


def test_it_finds_programs_prompts_outputs_and_notes(as_alice, alice, project, founder, llm_step):
    step = llm_step(
        founder, source="def keep(seed):\n    return seed.t <= 5  # zebra\n", response="zebra out"
    )
    ledger.annotate(founder, "the zebra idea", alice)
    html = search(as_alice, project, "ZEBRA")
    for kind in ["program", "model output", "note on candidate"]:
        assert f"<td>{kind}</td>" in html
    assert reverse("pages:candidate", args=[step.candidate.pk]) in html
    assert "the <mark>zebra</mark> idea" in html  # the match is marked


def test_it_finds_nothing_in_another_project(as_bob, project, other_candidate):
    html = search(as_bob, project, "seed.r_top")
    assert "Nothing found." in html


def test_the_query_is_shown_escaped(as_alice, project, founder):
    html = search(as_alice, project, "<script>alert(1)</script>")
    assert "<script>alert(1)" not in html and "&lt;script&gt;" in html
