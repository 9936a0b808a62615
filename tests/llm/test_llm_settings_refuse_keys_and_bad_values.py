"""The LLM settings live in the run's configuration, so they refuse what must not be recorded (a key, an
endpoint carrying credentials) and what cannot be kept (a cost cap on a model without a price)."""

import pytest

from evolution.config import EvolutionConfig
from evolution.engines.llm import LLMEngine
from evolution.llm.settings import LLMSettings
from tests.llm.conftest import KEY


def config(**llm):
    return EvolutionConfig(family="trianglebox", problems=("rank3",), engine="llm", llm=llm)


@pytest.mark.parametrize("llm, message", [
    ({"api_key": KEY}, "unknown llm setting(s): api_key (the API key is read only from the environment"),
    ({"base_url": f"https://user:{KEY}@llm.example.org/v1"}, "must not carry credentials"),
    ({"base_url": f"https://llm.example.org/v1?key={KEY}"}, "must not carry credentials"),
    ({"style": "completions"}, "llm style must be one of chat, completion"),
    ({"samples": 0}, "llm samples must be a number >= 1"),
    ({"temperature": -1}, "llm temperature must be a number >= 0"),
    ({"ratio": 1.5}, "llm ratio must be between 0 and 1"),
    ({"max_calls": True}, "llm max_calls must be a number >= 1"),
])
def test_bad_settings_are_refused_without_showing_the_key(llm, message):
    with pytest.raises(ValueError) as refused:
        config(**llm)
    assert message in str(refused.value) and KEY not in str(refused.value)


def test_model_and_endpoint_come_from_the_environment_when_not_given():
    environ = {"LLM_MODEL": "qwen2.5-coder:7b", "LLM_BASE_URL": "http://localhost:11434/v1",
               "LLM_API_KEY": KEY}
    settings = LLMSettings().resolved(environ)
    assert (settings.model, settings.base_url, settings.provider, settings.server_address) == (
        "qwen2.5-coder:7b", "http://localhost:11434/v1", "openai_compatible", "localhost")
    assert KEY not in repr(settings.to_dict())
    assert LLMSettings(model="gpt-4o").resolved({}).base_url == "https://api.openai.com/v1"
    with pytest.raises(ValueError, match="no model"):
        LLMSettings().resolved({})


@pytest.mark.django_db
def test_a_cost_cap_needs_a_priced_model():
    with pytest.raises(ValueError, match="no price for 'qwen2.5-coder:7b'"):
        LLMEngine(LLMSettings(model="qwen2.5-coder:7b", base_url="http://localhost:1/v1", max_cost=1.0))
    LLMEngine(LLMSettings(model="gpt-4o-mini", base_url="http://localhost:1/v1", max_cost=1.0))


def test_a_gp_run_stores_no_llm_settings():
    assert EvolutionConfig(family="trianglebox", problems=("rank3",)).to_dict()["llm"] == {}
