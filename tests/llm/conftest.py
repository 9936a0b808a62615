"""An OpenAI-protocol server for each test, LLM run settings that point at it, and an API key to look for."""

import itertools

import pytest

from evolution.config import EvolutionConfig
from tests.llm.server import OpenAIServer, Reply

KEY = "sk-seedtrace-TEST-9f8e7d6c5b4a39281706"
# Rules the fake model answers with, in turn (completions of `def keep_v2(seed):`): all close on rank3.
RULES = [
    "    return seed.d == 0 and seed.s <= seed.s_top - (seed.t_top - seed.t)\n",
    "    return seed.d == 0 and seed.s <= max(1, seed.s_top - (seed.t_top - seed.t))\n",
    "    return seed.d == 0 and seed.s <= seed.s_top - (seed.t_top - seed.t) + (seed.t == seed.t_top)\n",
]


@pytest.fixture
def server():
    with OpenAIServer() as running:
        rules = itertools.cycle(RULES)
        running.default = lambda request: Reply(text=next(rules))
        yield running


@pytest.fixture(autouse=True)
def api_key(monkeypatch):
    monkeypatch.setenv("LLM_API_KEY", KEY)
    for name in ("LLM_MODEL", "LLM_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    return KEY


def llm_settings(server, **changes) -> dict:
    values = dict(model="gpt-4o-mini", base_url=server.base_url, samples=2, backoff=0.0, timeout=5.0)
    return {**values, **changes}


def llm_config(server, engine="llm", llm=None, **changes) -> EvolutionConfig:
    values = dict(family="trianglebox", problems=("rank3",), budget=10, population=4, seed=1, engine=engine,
                  llm=llm_settings(server, **(llm or {})))
    return EvolutionConfig(**{**values, **changes})


@pytest.fixture
def llm_run(project, server):
    """A run with an LLM configuration (no controller): for engine-level tests."""
    from provenance import ledger

    config = llm_config(server)
    return ledger.start_run(project, family=config.family, problems=list(config.problems), engine="llm",
                            config=config.to_dict(), random_seed=1)


@pytest.fixture
def step_of(llm_run, alice):
    """step_of(*sources) → a Step whose parents are those programs (ascending by score), written by alice."""
    import random

    from evolution.engines import Step
    from provenance import ledger

    def make(*sources, number=0):
        author = ledger.person_agent(alice)
        parents = [ledger.record_candidate(llm_run, source=source, activity="human", agent=author)
                   for source in sources]
        return Step(llm_run, number, 0, parents, random.Random(number))

    return make


def engine_for(server, run=None, sleep=None, **changes):
    from evolution.engines.llm import LLMEngine
    from evolution.llm.settings import LLMSettings

    delays = []
    engine = LLMEngine(LLMSettings.from_dict(llm_settings(server, **changes)), run,
                       sleep=sleep or delays.append)
    engine.delays = delays
    return engine
