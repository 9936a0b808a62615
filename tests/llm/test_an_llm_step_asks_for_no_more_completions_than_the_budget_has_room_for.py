"""An LLM step asks the model for no more completions than the run's budget has room for: the room the
controller counted comes with the step (no query of the run's candidates each step); a step built without
it (a caller other than the controller) counts the run's records instead."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.llm.conftest import engine_for

pytestmark = pytest.mark.django_db


def test_the_step_s_room_caps_the_samples_without_a_query_of_the_candidates(server, step_of):
    step = step_of("def keep(seed):\n    return seed.d == 0\n")
    step.room = 1
    engine = engine_for(server, step.run, samples=3)
    with CaptureQueriesContext(connection) as queries:
        proposals = engine.propose(step)
    assert len(proposals) == 1 == len(server.requests)
    counted = [q["sql"] for q in queries.captured_queries
               if "COUNT(" in q["sql"].upper() and "provenance_candidate" in q["sql"]]
    assert counted == []


def test_a_step_without_its_room_counts_the_run_s_candidates(server, step_of):
    step = step_of("def keep(seed):\n    return seed.d == 0\n")  # one candidate on the record
    step.run.config = {**step.run.config, "budget": 3}
    engine = engine_for(server, step.run, samples=5)
    assert len(engine.propose(step)) == 2 == len(server.requests)
