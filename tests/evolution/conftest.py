"""Runs for the evolution tests: small, seeded evolutions on the paper's family."""

import pytest

from evolution.config import EvolutionConfig
from evolution.controller import Controller
from provenance import ledger

KIRA3 = "def keep(seed):\n    return seed.d == 0 and seed.s <= seed.s_top - (seed.t_top - seed.t)\n"


def config(**changes) -> EvolutionConfig:
    values = dict(family="trianglebox", problems=("rank3",), budget=16, population=4, seed=1)
    return EvolutionConfig(**{**values, **changes})


@pytest.fixture
def controller(project, alice):
    return Controller.start(project, config(), user=alice)


@pytest.fixture
def human_candidate(controller, alice):
    """human_candidate(source) → a candidate written by alice, with its evaluation job queued."""
    from evolution.evaluation import queue_job

    def make(source: str):
        candidate = ledger.record_candidate(controller.run, source=source, activity="human",
                                            agent=ledger.person_agent(alice))
        queue_job(candidate)
        return candidate

    return make


@pytest.fixture(scope="module")
def sandbox():
    """One sandbox, and so one zygote, for a whole test module."""
    from evolution.sandbox import Sandbox

    sandbox = Sandbox()
    yield sandbox
    sandbox.close()
