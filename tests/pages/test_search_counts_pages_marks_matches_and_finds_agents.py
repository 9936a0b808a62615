"""Search says how many results there are, pages past 50, marks each match (escaped like the rest of the
text), shows each candidate's score, and finds candidates by the agent that produced them."""

import pytest
from django.urls import reverse

from provenance import ledger

pytestmark = pytest.mark.django_db


def search(client, project, query, page=1):
    url = reverse("pages:search", args=[project.slug])
    return client.get(url, {"q": query, "page": page}).content.decode()


def test_results_are_counted_and_paged_past_fifty(as_alice, project, run, gp):
    for i in range(60):
        ledger.record_candidate(run, source=f"def keep(seed):\n    return seed.r <= {i}  # okapi\n",
                                activity="gp_mutation", agent=gp)
    first = search(as_alice, project, "okapi")
    assert "60 results; 1–50 shown (page 1 of 2)" in first and first.count("<mark>okapi</mark>") == 50
    assert "page=2" in first
    second = search(as_alice, project, "okapi", page=2)
    assert "51–60 shown (page 2 of 2)" in second and second.count("<mark>okapi</mark>") == 10


def test_a_match_inside_hostile_text_is_marked_and_still_escaped(as_alice, project, run, gp):
    ledger.record_candidate(run, source="def keep(seed):\n    return True  # <img src=x onerror=alert(1)>\n",
                            activity="gp_mutation", agent=gp)
    html = search(as_alice, project, "<img src=x")
    assert "<img src=x" not in html and "<mark>&lt;img src=x</mark> onerror=alert(1)&gt;" in html


def test_each_candidate_found_shows_its_score(as_alice, project, founder):
    html = search(as_alice, project, "seed.r_top")
    assert "-120" in html and "complete: 120 seeds" in html


def test_candidates_are_found_by_their_agent(as_alice, project, founder, llm_step):
    step = llm_step(founder)
    html = search(as_alice, project, "gpt-4o")
    assert "<td>agent</td>" in html and reverse("pages:candidate", args=[step.candidate.pk]) in html
    assert "1 result " in html
