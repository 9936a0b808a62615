"""Each fault — timeout, 429 (Retry-After honoured), 5xx, malformed JSON, empty choices, empty or truncated
output, a dropped connection — is a failed call in the record with its attempt number, and is retried with
capped exponential back-off; a rejected request (401, …) is not retried and stops the engine."""

import pytest

from provenance.models import LLMCall
from tests.llm.conftest import engine_for
from tests.llm.server import Reply

pytestmark = pytest.mark.django_db

PARENTS = ("def keep(seed):\n    return seed.r <= seed.r_top\n", "def keep(seed):\n    return seed.d == 0\n")
FAULTS = {
    "timeout": Reply(delay=1.5),
    "429": Reply(status=429, body=b'{"error": {"message": "Rate limit reached"}}'),
    "500": Reply(status=500, body=b'{"error": {"message": "internal"}}'),
    "502": Reply(status=502, body=b"<html><body>Bad gateway</body></html>",
                 headers={"Content-Type": "text/html"}),
    "503": Reply(status=503, body=b""),
    "malformed_response": Reply(body=b'{"choices": [{"message": {"content": "    return 1'),
    "empty_choices": Reply(choices=0),
    "empty_completion": Reply(text=""),
    "truncated": Reply(finish_reason="length", text="    return seed.d == 0 and (seed.s <"),
    "connection_error": Reply(drop=True),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_a_fault_is_recorded_then_retried(server, step_of, fault):
    server.script.append(FAULTS[fault])
    step = step_of(*PARENTS)
    engine = engine_for(server, step.run, samples=1, timeout=0.5, backoff=0.25)
    (proposal,) = engine.propose(step)
    failed, answered = LLMCall.objects.filter(run=step.run).order_by("seq")
    assert (failed.attempt, failed.error_type, failed.failed) == (1, fault, True)
    assert failed.error and failed.prompt_id == answered.prompt_id
    assert (answered.attempt, answered.error_type, answered.failed) == (2, "", False)
    assert proposal.llm_call == answered and proposal.activity == "llm"
    assert engine.delays == [0.25] and not engine.stopped
    if fault == "truncated":
        assert failed.response_text == FAULTS[fault].text and failed.response_finish_reasons == ["length"]


def test_retry_after_is_honoured_and_back_off_is_capped(server, step_of):
    server.script.extend([Reply(status=503), Reply(status=429, headers={"Retry-After": "7"}),
                          Reply(status=500), Reply(status=500),
                          Reply(status=429, headers={"retry-after-ms": "1500"})])
    step = step_of(*PARENTS)
    engine = engine_for(server, step.run, samples=1, max_attempts=6, backoff=0.5, backoff_cap=1.5)
    (proposal,) = engine.propose(step)
    assert engine.delays == [0.5, 7.0, 1.5, 1.5, 1.5]
    attempts = list(LLMCall.objects.filter(run=step.run).order_by("seq").values_list("attempt", "error_type"))
    assert attempts == [(1, "503"), (2, "429"), (3, "500"), (4, "500"), (5, "429"), (6, "")]


def test_a_sample_whose_every_attempt_failed_makes_no_candidate(server, step_of):
    server.script.extend([Reply(status=503)] * 3)
    step = step_of(*PARENTS)
    # One call at a time, so that the script's failures go to the first sample (in flight together, the
    # samples share them: test_a_step_s_samples_are_asked_for_together).
    engine = engine_for(server, step.run, samples=2, max_attempts=3, parallel=1)
    proposals = engine.propose(step)
    assert len(proposals) == 1  # the second sample got through
    calls = list(LLMCall.objects.filter(run=step.run).order_by("seq").values_list("attempt", "error_type"))
    assert calls == [(1, "503"), (2, "503"), (3, "503"), (1, "")]


def test_a_rejected_request_is_not_retried_and_stops_the_engine(server, step_of):
    server.script.append(Reply(status=401, body=b'{"error": {"message": "Incorrect API key provided"}}'))
    step = step_of(*PARENTS)
    engine = engine_for(server, step.run, samples=3, parallel=1)
    assert engine.propose(step) == []
    assert list(LLMCall.objects.filter(run=step.run).values_list("error_type", flat=True)) == ["401"]
    assert "rejected the request (HTTP 401" in engine.stopped
    assert engine.propose(step) == [] and len(server.requests) == 1


def test_the_engine_gives_up_after_steps_without_a_usable_completion(server, step_of):
    server.default = Reply(status=503)
    step = step_of(*PARENTS)
    engine = engine_for(server, step.run, samples=1, max_attempts=2, give_up_after=2)
    assert engine.propose(step) == [] and not engine.stopped
    assert engine.propose(step) == []
    assert engine.stopped.startswith("LLM sampling stopped: 2 steps in a row without a usable completion")
    assert LLMCall.objects.filter(run=step.run).count() == 4
