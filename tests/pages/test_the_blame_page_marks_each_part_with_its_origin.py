"""The attribution page shows the program with each part marked with the ancestor, agent and operator that
introduced it (on hover and on keyboard focus), sums each agent's contribution from those parts, and shows
hostile source and names as text."""

import random

import pytest
from django.urls import reverse

from evolution import gp
from provenance import ledger
from tests.pages.html_check import read, text_of

pytestmark = pytest.mark.django_db

HOSTILE = "</code></pre><script>alert(1)</script>"
NAME = '"><b onmouseover=alert(4)>'


@pytest.fixture
def edited(run, alice, founder):
    """A real GP mutation of the founder, then alice's edit of it: a hostile comment and a hostile string."""
    child = gp.mutate(gp.Individual.from_source(founder.source, founder.pk), random.Random(0), "uniform")
    mutant = ledger.record_candidate(
        run, source=child.source, activity="gp_mutation",
        agent=ledger.algorithm_agent("gp", child.operator_call.operator, version="gp-1"),
        parents=[(founder, "parent")], params=child.operator_call.as_record(),
    )
    alice.first_name = NAME
    alice.save()
    body = child.source.split("return ")[1].strip()
    body += f' and "<img src=x onerror=alert(2)>" != {NAME!r}'
    source = f"def keep(seed):\n    # {HOSTILE}\n    return {body}\n"
    edit = ledger.record_candidate(run, source=source, activity="human_edit",
                                   agent=ledger.person_agent(alice), parents=[(mutant, "human_edit_of")])
    return founder, mutant, edit


def page(client, candidate) -> str:
    response = client.get(reverse("pages:candidate-blame", args=[candidate.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_each_part_names_its_ancestor_agent_and_operator(as_alice, edited):
    founder, mutant, edit = edited
    html = page(as_alice, edit)
    assert "does not parse" not in html
    assert f'tabindex="0" title="#{founder.pk} · Laporta rule (literature) · literature"' in html
    assert f'title="#{mutant.pk} · GP mutation.uniform (algorithm) · mutation.uniform"' in html
    assert f'data-origin="#{mutant.pk} · GP mutation.uniform (algorithm) · mutation.uniform"' in html
    assert reverse("pages:candidate", args=[founder.pk]) in html
    assert "Sub-expressions introduced" in html and "Share of this rule" in html


def test_hostile_source_and_names_come_out_as_text(as_alice, edited):
    *_, edit = edited
    html = page(as_alice, edit)
    assert read(html).dangers == []
    assert "<script>alert(1)" not in html and "<img src=x" not in html and "<b onmouseover" not in html
    shown = text_of(html)
    assert HOSTILE in shown and "<img src=x onerror=alert(2)>" in shown and NAME in shown


def test_a_program_that_does_not_parse_is_its_own_agents_as_a_whole(as_alice, run, alice):
    broken = ledger.record_candidate(run, source=f"def keep(seed):\n    return {HOSTILE}\n",
                                     activity="human", agent=ledger.person_agent(alice))
    html = page(as_alice, broken)
    assert "does not parse" in html and HOSTILE in text_of(html) and read(html).dangers == []
