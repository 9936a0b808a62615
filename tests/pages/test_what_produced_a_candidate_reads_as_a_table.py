""""What produced it" is a table of labelled rows: for a model, the call, model, tokens and cost; for an
algorithm, the operator, its version and each operator parameter; escaped like everything written."""

import pytest
from django.urls import reverse

from provenance import ledger

pytestmark = pytest.mark.django_db


def rows(html: str) -> str:
    return html[html.index('<table class="producer">'):].split("</table>")[0]


def test_an_llm_candidate_names_the_model_and_the_call(as_alice, founder, llm_step):
    step = llm_step(founder)
    table = rows(as_alice.get(reverse("pages:candidate", args=[step.candidate.pk])).content.decode())
    assert '<th scope="row">Activity</th><td>LLM</td>' in table
    assert '<th scope="row">Model</th><td>gpt-4o-mini' in table
    assert '<th scope="row">Cost</th><td>unknown</td>' in table


def test_an_algorithm_s_parameters_are_rows(as_alice, run, founder, gp):
    child = ledger.record_candidate(run, source="def keep(seed):\n    return seed.r < 3\n",
                                    activity="gp_mutation", agent=gp, parents=[(founder, "parent")],
                                    params={"operator": "mutation.uniform", "depth": "<b>3</b>"})
    table = rows(as_alice.get(reverse("pages:candidate", args=[child.pk])).content.decode())
    assert '<th scope="row">Activity</th><td>GP mutation</td>' in table
    assert '<th scope="row">Agent</th><td>GP mutation (algorithm)</td>' in table
    assert '<th scope="row">Operator</th><td>mutation.uniform</td>' in table
    assert '<th scope="row">Depth</th><td>&lt;b&gt;3&lt;/b&gt;</td>' in table
