"""The run's progress plot draws complete rules by their seeds on an axis of their own, with incomplete
rules (whose scores are penalties) in a band apart; it has ticks, a tooltip on every improvement, and a
plot per island and per agent."""

import re

import pytest
from django.urls import reverse

from provenance import ledger
from web.plot import nice_ticks

pytestmark = pytest.mark.django_db


@pytest.fixture
def climbing(run, gp, laporta):
    first = ledger.record_candidate(run, source="def keep(seed):\n    return seed.r < 1\n",
                                    activity="literature", agent=laporta, island=0)
    ledger.record_evaluation(first, problem="rank3", verdict="incomplete", score=-100522, unreduced=20)
    seeds = []
    for n in (120, 96, 92, 88):
        child = ledger.record_candidate(run, source=f"def keep(seed):\n    return seed.r <= {n}\n",
                                        activity="gp_mutation", agent=gp, parents=[(first, "parent")],
                                        island=1)
        ledger.record_evaluation(child, problem="rank3", verdict="complete", score=-n, seeds=n)
        seeds.append(child)
    return first, seeds


def test_ticks_are_round_numbers():
    assert nice_ticks(85, 123, 5) == [90, 100, 110, 120]
    assert nice_ticks(0, 5, 6) == [0, 1, 2, 3, 4, 5]


def test_seeds_have_their_own_axis_and_penalties_a_band(as_alice, run, climbing):
    html = as_alice.get(reverse("pages:run", args=[run.pk])).content.decode()
    first, seeds = climbing
    assert "Fewest seeds so far: overall and per island" in html and "Fewest seeds so far: per agent" in html
    assert 'class="penalty-band"' in html and ">incomplete</text>" in html
    ticks = re.findall(r'text-anchor="end" dominant-baseline="middle" fill="#1d2330">(\d+)</text>', html)
    assert ticks and all(85 <= int(t) <= 125 for t in ticks)  # the seeds, not −100522 … −88
    assert f"best overall: candidate {seeds[-1].pk} · 88 seeds (complete) · after 5 evaluated" in html
    assert f"candidate {first.pk} · incomplete: score -100522 is a penalty, not seeds" in html
    for series in ("island 0", "island 1", "Laporta rule", "GP mutation"):
        assert f">{series}</text>" in html, series


def test_an_improvement_links_to_its_candidate(as_alice, run, climbing):
    html = as_alice.get(reverse("pages:run", args=[run.pk])).content.decode()
    _, seeds = climbing
    assert f'<a href="{reverse("pages:candidate", args=[seeds[-1].pk])}"><circle' in html
