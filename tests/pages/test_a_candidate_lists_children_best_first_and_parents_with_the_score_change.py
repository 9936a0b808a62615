"""The candidate page lists children best score first, each with its score, and each parent with its score
and how much this candidate changed it; operators and roles are spelled as a reader would."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_children_come_best_first_with_their_scores(as_alice, founder, mutate):
    worse, best, middle = mutate(founder, score=-130), mutate(founder, score=-90), mutate(founder, score=-100)
    unscored = mutate(founder)
    html = as_alice.get(reverse("pages:candidate", args=[founder.pk])).content.decode()
    children = html[html.index('<table class="children">'):]
    order = [int(pk) for pk in re.findall(r'<a href="/candidates/(\d+)/">', children)]
    assert order == [best.pk, middle.pk, worse.pk, unscored.pk]
    assert "-90<span class=\"why\">complete: 90 seeds</span>" in children and "not evaluated" in children
    assert "GP mutation" in children and "(4, best score first)" in html


def test_each_parent_shows_its_score_and_the_change(as_alice, founder, mutate):
    other = mutate(founder, score=-80)
    child = mutate(founder, other, score=-100)
    html = as_alice.get(reverse("pages:candidate", args=[child.pk])).content.decode()
    assert "Its score -120 (complete: 120 seeds); this candidate improves on it by <strong>+20</strong>" \
        in html
    assert "Its score -80 (complete: 80 seeds); this candidate is worse by <strong>-20</strong>" in html
    assert "crossover donor" in html and "GP crossover" in html
