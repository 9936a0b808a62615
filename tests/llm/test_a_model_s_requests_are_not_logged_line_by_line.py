"""Each request to the model is on the record (its call, with status, timing and tokens); the HTTP library
under the OpenAI client does not also log a line per request at the default log level, which buried the
output of a run (and of the benches) under thousands of "HTTP Request: POST …" lines."""

import pytest

from tests.llm.conftest import engine_for

pytestmark = pytest.mark.django_db


def test_a_step_s_requests_leave_no_log_line_of_their_own(server, step_of, caplog):
    step = step_of("def keep(seed):\n    return seed.d == 0\n")
    proposals = engine_for(server, step.run, samples=2).propose(step)
    assert len(proposals) == 2 == len(server.requests)
    assert not [record for record in caplog.records if record.name.startswith("httpx")]
