"""A person edits a candidate in the browser and submits it; the page they land on polls (htmx) until the
worker has evaluated the new program, and shows the evaluation without a reload."""

import pytest

from provenance.models import Candidate, Edge

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EDITED = "def keep(seed):\n    return seed.r <= seed.r_top and seed.s <= seed.s_top\n"


@pytest.fixture
def broker(monkeypatch):
    """Holds the evaluation tasks queued by submissions, until the test plays the worker."""
    from evolution.tasks import evaluate_candidate

    queued = []
    monkeypatch.setattr(evaluate_candidate, "delay_on_commit", queued.append)
    return queued


def test_a_human_edit_is_submitted_and_its_evaluation_appears(tab, alice, founder, broker):
    from evolution.tasks import evaluate_candidate

    tab.log_in_as(alice)
    page = tab.page
    tab.open(f"/candidates/{founder.pk}/")
    page.click("a:has-text('Edit and submit')")
    assert page.input_value("textarea[name=source]") == founder.source
    page.fill("textarea[name=source]", EDITED)
    page.click("button:has-text('Submit for evaluation')")

    edit = Candidate.objects.get(activity="human_edit")
    page.wait_for_url(f"**/candidates/{edit.pk}/")
    assert Edge.objects.get(child=edit).role == "human_edit_of"
    # the edge's role as a reader says it ("edited from"); its stored name stays in the title
    assert "Written by" in page.inner_text("body") and "edited from" in page.inner_text("body")
    assert "waiting for the sandbox" in page.inner_text("#evaluations")

    assert broker == [edit.pk]
    evaluate_candidate.apply(args=[edit.pk])  # the worker takes the task

    page.wait_for_selector("#evaluations tr.verdict-complete", timeout=15_000)  # polled in, no reload
    row = page.inner_text("#evaluations tr.verdict-complete")
    assert "rank3" in row and "complete" in row
    assert page.get_attribute("#evaluations", "hx-get") is None  # and the polling stopped
    assert tab.watched.problems == []
