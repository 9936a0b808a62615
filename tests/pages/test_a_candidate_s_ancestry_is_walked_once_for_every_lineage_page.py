"""A candidate's ancestry never changes once it is recorded: its lineage page (and every page that marks
the run's best lineage) walks it once, and later requests read the walk back instead of the edge table."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evolution.models import RunState

pytestmark = pytest.mark.django_db


def walks(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return sum("RECURSIVE" in query["sql"] for query in queries.captured_queries)


def test_the_second_request_for_a_lineage_walks_no_edges(as_alice, run, founder, mutate):
    child = mutate(founder, score=-100)
    grandchild = mutate(child, score=-90)
    RunState.objects.filter(run=run).update(best_candidate=grandchild)
    url = reverse("pages:candidate-lineage-json", args=[child.pk])
    assert walks(as_alice, url) == 2  # the candidate's ancestry, and the best's
    assert walks(as_alice, url) == 0
    data = as_alice.get(url).json()
    assert {node["data"]["id"] for node in data["nodes"]} == {str(founder.pk), str(child.pk)}
    assert all(node["data"]["lineage"] for node in data["nodes"])  # both lie on the best's lineage
