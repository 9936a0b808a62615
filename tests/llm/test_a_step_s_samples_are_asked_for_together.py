"""A step's samples are asked for together (up to `parallel` calls in flight), each call recorded as it comes
back, the proposals in the order of the samples; the caps and a rejected request hold as they do one call at
a time; with parallel 1 the calls go out one after another."""

import threading
import time

import pytest

from evolution.llm.client import REDACTED
from evolution.llm.settings import LLMSettings
from provenance.models import LLMCall
from tests.llm.conftest import KEY, engine_for
from tests.llm.server import Reply

pytestmark = pytest.mark.django_db

PARENTS = ["def keep(seed):\n    return seed.r <= 1\n", "def keep(seed):\n    return seed.d == 0\n"]


def met_together(parties: int, reply):
    """A server answer that waits until `parties` requests are in at once, then answers reply(n), n the
    request's place in arrival order. Requests sent one after another never meet: each gets a 500."""
    barrier, arrived, lock = threading.Barrier(parties, timeout=5), [], threading.Lock()

    def answer(request):
        with lock:
            arrived.append(len(arrived))
            n = arrived[-1]
        try:
            barrier.wait()
        except threading.BrokenBarrierError:
            return Reply(status=500, body=b'{"error": {"message": "alone"}}')
        return reply(n)

    return answer


def in_flight_counter():
    """A server answer taking 0.2 s that notes how many requests were in flight as each arrived."""
    seen, lock, flying = [], threading.Lock(), [0]

    def answer(request):
        with lock:
            flying[0] += 1
            seen.append(flying[0])
        time.sleep(0.2)
        with lock:
            flying[0] -= 1
        return Reply()

    return answer, seen


def test_the_samples_are_in_flight_together_and_proposed_in_their_order(server, step_of):
    # The first request to arrive is answered last: the calls are recorded as they come back, the
    # proposals keep the order of the samples.
    server.default = met_together(4, lambda n: Reply(text=f"    return seed.r <= {n}\n", delay=0.1 * (3 - n)))
    step = step_of(*PARENTS)
    proposals = engine_for(server, step.run, samples=4, parallel=4).propose(step)
    assert [p.params["sample"] for p in proposals] == [0, 1, 2, 3]
    recorded = LLMCall.objects.filter(run=step.run).order_by("seq")
    assert [call.response_text for call in recorded] == [f"    return seed.r <= {n}\n" for n in (3, 2, 1, 0)]
    assert all(call.prompt_id == recorded[0].prompt_id for call in recorded)  # one prompt, with the first


def test_with_parallel_one_the_calls_go_out_one_after_another(server, step_of):
    server.default, seen = in_flight_counter()
    step = step_of(*PARENTS)
    assert len(engine_for(server, step.run, samples=3, parallel=1).propose(step)) == 3
    assert seen == [1, 1, 1]


def test_no_more_calls_are_in_flight_than_parallel_allows(server, step_of):
    server.default, seen = in_flight_counter()
    step = step_of(*PARENTS)
    assert len(engine_for(server, step.run, samples=4, parallel=2).propose(step)) == 4
    assert max(seen) == 2


def test_a_call_cap_counts_the_calls_in_flight(server, step_of):
    server.default, seen = in_flight_counter()
    step = step_of(*PARENTS)
    engine = engine_for(server, step.run, samples=4, parallel=4, max_calls=3)
    assert len(engine.propose(step)) == 3 and len(server.requests) == 3 and max(seen) == 3
    assert engine.propose(step) == [] and engine.stopped == "LLM call cap reached (3 of 3 calls)"


def test_a_token_cap_sends_the_first_call_alone_then_counts_each_in_flight_as_the_largest(server, step_of):
    # 120 tokens a call: the first goes alone (nothing says what a call spends), then 120 + 120 < 250 lets a
    # second go out, and a third would make 360: it waits, and once the two are back the cap is reached.
    server.default, seen = in_flight_counter()
    step = step_of(*PARENTS)
    engine = engine_for(server, step.run, samples=4, parallel=4, max_tokens_budget=250)
    assert len(engine.propose(step)) == 3
    assert seen[0] == 1 and max(seen) == 2 and len(server.requests) == 3
    assert engine.stopped == "LLM token cap reached (360 of 250 tokens)"


def test_a_rejected_request_stops_sending_and_the_calls_already_out_are_recorded(server, step_of):
    rejected = Reply(status=401, body=b'{"error": {"message": "Incorrect API key provided"}}')
    server.default = met_together(3, lambda n: rejected if n == 0 else Reply())
    step = step_of(*PARENTS)
    engine = engine_for(server, step.run, samples=3, parallel=3)
    assert len(engine.propose(step)) == 2
    errors = LLMCall.objects.filter(run=step.run).values_list("error_type", flat=True)
    assert sorted(errors) == ["", "", "401"]
    assert "rejected the request (HTTP 401" in engine.stopped
    assert engine.propose(step) == [] and len(server.requests) == 3


def test_a_key_echoed_in_one_answer_is_noted_on_that_call_only(server, step_of):
    # The answer without the key comes back after the one with it: a redaction counted for the client
    # rather than for the call would be noted on both.
    server.default = met_together(2, lambda n: Reply(text=f"    return seed.d == 0  # {KEY}\n") if n == 0
                                  else Reply(text="    return seed.d == 1\n", delay=0.3))
    step = step_of(*PARENTS)
    assert len(engine_for(server, step.run, samples=2, parallel=2).propose(step)) == 2
    notes = {call.response_text: call.params.get("notes") for call in LLMCall.objects.filter(run=step.run)}
    note = f"the API key was in the answer: replaced by {REDACTED}"
    assert notes == {f"    return seed.d == 0  # {REDACTED}\n": [note], "    return seed.d == 1\n": None}


def test_parallel_must_be_at_least_one():
    with pytest.raises(ValueError, match="llm parallel must be a number >= 1"):
        LLMSettings(model="m", parallel=0)
