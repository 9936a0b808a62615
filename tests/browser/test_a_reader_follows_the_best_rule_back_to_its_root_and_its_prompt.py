"""The user story: log in, open a run, open its best candidate, open its lineage, click back to a root, and
open the prompt and model output of the LLM step on the way."""

import pytest

from evolution.models import RunState
from tests.browser.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

OUTPUT = "def keep_v1(seed):\n    return seed.r <= seed.r_top and seed.d == 0\n"


@pytest.fixture
def night_run(run, founder, mutate, llm_step):
    """founder → mutation → LLM step (prompted with the mutation) → crossover of the step and the founder."""
    mutated = mutate(founder, score=-110)
    step = llm_step(mutated, response=OUTPUT)
    best = mutate(step.candidate, founder, score=-80)
    RunState.objects.filter(run=run).update(best_candidate=best, best_score=-80, status="finished")
    return run, founder, step, best


def test_a_reader_follows_the_best_rule_back_to_its_root_and_its_prompt(tab, alice, night_run, project):
    run, founder, step, best = night_run
    alice.set_password(PASSWORD)
    alice.save()
    page = tab.page

    tab.open("/")  # anonymous: the login page
    page.fill("input[name=username]", "alice")
    page.fill("input[name=password]", PASSWORD)
    page.click("button:has-text('Log in')")
    page.click(f"text={project.name}")
    page.click(f"a:has-text('{run.title}')")
    page.wait_for_selector("#run-status")

    page.click(f"#run-status a:has-text('#{best.pk}')")
    assert page.inner_text("h1").startswith(f"Candidate {best.pk}")
    assert "best of the run" in page.inner_text("h1")

    page.click("a:has-text('Ancestors')")
    tab.wait_for_lineage()
    assert page.evaluate("window.seedtraceLineage.nodes().length") == 4

    page.click("#trace")  # trace to roots: every path back to the founder lights up
    traced = page.evaluate("window.seedtraceLineage.nodes('.traced').map(n => n.id())")
    assert len(traced) == 4 and str(founder.pk) in traced

    # A click shows the candidate beside the graph; its page is one link further.
    tab.click_node(founder.pk)
    page.wait_for_selector(f"#panel h2:has-text('Candidate {founder.pk}')")
    page.click("#panel a:has-text('Open its page')")
    page.wait_for_url(f"**/candidates/{founder.pk}/")
    assert "None: a starting program." in page.inner_text("body")
    assert "Laporta" in page.inner_text("body")

    page.go_back()
    tab.wait_for_lineage()
    tab.click_node(step.candidate.pk)
    page.wait_for_selector(f"#panel h2:has-text('Candidate {step.candidate.pk}')")
    page.click("#panel a:has-text('Open its page')")
    page.wait_for_url(f"**/candidates/{step.candidate.pk}/")
    assert page.text_content("pre.prompt") == "Improve f_v1."
    assert page.text_content("pre.model-output") == OUTPUT
    assert "gpt-4o-mini" in page.inner_text("body")
    assert tab.watched.problems == []
