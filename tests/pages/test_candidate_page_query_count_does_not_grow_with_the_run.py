import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from provenance import ledger

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_candidate_page_costs_the_same_in_a_small_and_a_large_run(
    as_alice, alice, founder, mutate, llm_step, django_assert_max_num_queries
):
    middle = mutate(founder, score=-100)
    shown = mutate(middle, founder, score=-90)
    step = llm_step(shown)
    url = reverse("pages:candidate", args=[shown.pk])
    llm_url = reverse("pages:candidate", args=[step.candidate.pk])
    small, small_llm = queries_for(as_alice, url), queries_for(as_alice, llm_url)

    # the run grows: more candidates, children of the shown one, notes and versions of notes
    for _ in range(30):
        mutate(shown, score=-95)
    note = ledger.annotate(shown, "first", alice)
    ledger.annotate(shown, "second", alice, previous=note)
    ledger.annotate(shown, "another", alice)
    ledger.annotate(step.candidate, "on the LLM step", alice)

    with django_assert_max_num_queries(MAX_QUERIES):
        as_alice.get(url)
    assert queries_for(as_alice, url) == small
    assert queries_for(as_alice, llm_url) == small_llm
