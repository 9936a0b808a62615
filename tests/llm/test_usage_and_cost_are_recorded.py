"""Each call records its token usage and its cost from the versioned price table; a model the table does not
price has an unknown cost (None), never a guess."""

import pytest

from evolution.llm import prices
from provenance.models import LLMCall
from tests.llm.conftest import engine_for
from tests.llm.server import Reply

pytestmark = pytest.mark.django_db

PARENTS = ("def keep(seed):\n    return seed.r <= seed.r_top\n", "def keep(seed):\n    return seed.d == 0\n")


def test_a_priced_model_records_usage_and_cost_from_the_table(server, step_of):
    server.script.append(Reply(usage=(1234, 567)))
    step = step_of(*PARENTS)
    engine = engine_for(server, step.run, samples=1, model="gpt-4o-mini")
    engine.propose(step)
    call = LLMCall.objects.get(run=step.run)
    price = prices.load("2026-11").models["gpt-4o-mini"]
    assert (call.usage_input_tokens, call.usage_output_tokens) == (1234, 567)
    assert call.cost == (price.input * 1234 + price.output * 567) / 1_000_000
    assert call.price_table == "prices-2026-11"
    assert call.request_model == "gpt-4o-mini" and call.latency_seconds > 0
    assert call.otel_attributes()["gen_ai.usage.input_tokens"] == 1234
    assert engine.usage.counters() == {"llm_calls": 1, "input_tokens": 1234, "output_tokens": 567,
                                       "cost": call.cost}


def test_an_unpriced_model_has_an_unknown_cost(server, step_of):
    step = step_of(*PARENTS)
    engine = engine_for(server, step.run, samples=1, model="qwen2.5-coder:7b")
    engine.propose(step)
    call = LLMCall.objects.get(run=step.run)
    assert call.cost is None and call.price_table == ""
    assert (call.usage_input_tokens, call.usage_output_tokens) == (100, 20)
    assert engine.usage.unknown_cost == 1


def test_a_server_without_usage_records_none(server, step_of):
    server.script.append(Reply(usage=None))
    step = step_of(*PARENTS)
    engine_for(server, step.run, samples=1).propose(step)
    call = LLMCall.objects.get(run=step.run)
    assert (call.usage_input_tokens, call.usage_output_tokens, call.cost) == (None, None, None)


def test_the_model_agent_carries_the_sampling_parameters(server, step_of):
    step = step_of(*PARENTS)
    engine_for(server, step.run, samples=1, temperature=0.7, top_p=0.9, seed=11).propose(step)
    call = LLMCall.objects.get(run=step.run)
    agent = call.agent
    assert (agent.kind, agent.model, agent.provider) == ("model", "gpt-4o-mini", "openai_compatible")
    assert agent.params == {"style": "chat", "temperature": 0.7, "top_p": 0.9, "max_tokens": 1024, "seed": 11}
    (request,) = server.requests
    assert {k: request["json"][k] for k in ("temperature", "top_p", "seed", "max_tokens")} == \
        {"temperature": 0.7, "top_p": 0.9, "seed": 11, "max_tokens": 1024}
    assert (call.request_temperature, call.request_top_p, call.request_seed) == (0.7, 0.9, 11)
    assert call.server_address == "127.0.0.1"
