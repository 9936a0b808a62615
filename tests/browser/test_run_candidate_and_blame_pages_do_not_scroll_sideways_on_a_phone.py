"""At 390 px wide (a phone), the run, candidate, blame, lineage and search pages fit the width: nothing
scrolls the page sideways (wide tables and code scroll inside their own boxes)."""

import pytest

from evolution.models import RunState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_nothing_scrolls_sideways_at_390_px(tab, alice, run, founder, mutate, llm_step, project):
    child = mutate(founder, score=-100)
    step = llm_step(child)
    RunState.objects.filter(run=run).update(best_candidate=child, best_score=-100, evaluations=3)
    tab.log_in_as(alice)
    page = tab.page
    page.set_viewport_size({"width": 390, "height": 844})
    for path in (f"/runs/{run.pk}/", f"/candidates/{child.pk}/", f"/candidates/{step.candidate.pk}/",
                 f"/candidates/{child.pk}/blame/", f"/candidates/{child.pk}/lineage/",
                 f"/p/{project.slug}/search/?q=seed"):
        tab.open(path)
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= 390, f"{path} is {wide} px wide"
    assert tab.watched.problems == []
