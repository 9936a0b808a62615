"""Per-run caps on calls, tokens and cost stop the model cleanly: no call is made past a cap, what is in
flight is evaluated, and the run finishes saying which cap stopped it. In a mixed run GP goes on alone."""

import pytest

from evolution.controller import Controller
from evolution.models import RunState
from provenance.models import Candidate, LLMCall
from tests.llm.conftest import llm_config

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("cap, calls, message", [
    ({"max_calls": 3}, 3, "LLM call cap reached (3 of 3 calls)"),
    ({"max_tokens_budget": 250}, 3, "LLM token cap reached (360 of 250 tokens)"),  # 120 tokens a call
    ({"max_cost": 0.00005}, 2, "LLM cost cap reached (0.000054 of 0.00005)"),  # 0.000027 a call
])
def test_a_cap_stops_an_llm_run_with_the_reason(server, project, alice, cap, calls, message):
    controller = Controller.start(project, llm_config(server, budget=20, llm=cap), user=alice)
    final = controller.evolve()
    state = RunState.objects.get(run=controller.run)
    assert (state.status, state.message) == ("finished", message)
    recorded = LLMCall.objects.filter(run=controller.run).count()
    assert recorded == calls == state.llm_calls == len(server.requests)
    assert final.candidates == 4 + calls < 20 and state.in_flight == 0
    assert final.evaluations == final.candidates


def test_in_a_mixed_run_gp_goes_on_when_the_model_is_capped(server, project, alice):
    config = llm_config(server, engine="mixed", budget=14, llm={"max_calls": 2, "ratio": 0.9})
    controller = Controller.start(project, config, user=alice)
    final = controller.evolve()
    state = RunState.objects.get(run=controller.run)
    assert final.candidates == 14 and state.status == "finished"
    assert state.message == "budget reached; LLM call cap reached (2 of 2 calls); GP went on alone"
    assert LLMCall.objects.filter(run=controller.run).count() == 2
    assert Candidate.objects.filter(run=controller.run, activity="llm").count() == 2


@pytest.mark.django_db
def test_a_resumed_run_counts_what_it_already_spent(server, step_of):
    from tests.llm.conftest import engine_for

    step = step_of("def keep(seed):\n    return seed.d == 0\n")
    engine_for(server, step.run, samples=2).propose(step)
    again = engine_for(server, step.run, max_calls=2)  # as Controller.resume builds it
    assert (again.usage.calls, again.usage.input_tokens) == (2, 200)
    assert again.usage.largest_tokens == 120  # what a call in flight is counted as spending (100 in, 20 out)
    assert again.stopped == "LLM call cap reached (2 of 2 calls)"
