"""The page of a copy the program database made (an island reset's founder) says what it is and whose scores
it carries (named by its edge), rather than "not evaluated yet", and does not poll for an evaluation that
will never come."""

import pytest
from django.urls import reverse

from evolution.controller import Controller
from provenance.models import Candidate
from tests.evolution.conftest import config

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_reset_founder_s_copy_points_to_the_candidate_it_copies(project, alice, client):
    controller = Controller.start(project, config(budget=14, database={"reset_period": 6}), user=alice)
    controller.evolve()
    copy = Candidate.objects.filter(run=controller.run, activity="island_reset").first()
    client.force_login(alice)
    page = client.get(reverse("pages:candidate", args=[copy.pk])).content.decode()
    copied = copy.parent_edges.get().parent_id  # the founder, or its copy on the island it came from
    assert f"A copy the program database moved to island {copy.island}" in page
    link = reverse("pages:candidate", args=[copied])
    assert f'carries the scores of <a href="{link}">candidate {copied}</a>' in page
    assert "Not evaluated yet" not in page and "every 2s" not in page
    assert "reset_founder" in page  # the edge to what it copies
