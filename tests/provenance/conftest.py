"""A small world for the record-store tests (the personas and projects are in tests/conftest.py)."""

import pytest

from evolution.runs import start_run
from provenance import ledger
from tests.steps import record_llm_step


@pytest.fixture
def run(project, alice):
    return start_run(
        project,
        family="trianglebox",
        problems=["rank3"],
        engine="mixed",
        started_by=alice,
        random_seed=7,
        code_version="test",
    )


@pytest.fixture
def laporta():
    return ledger.literature_agent(
        "Laporta rule", "S. Laporta, Int. J. Mod. Phys. A 15 (2000) 5087", "hep-ph/0102033"
    )


@pytest.fixture
def gp():
    return ledger.algorithm_agent("gp", "mutation", version="1")


@pytest.fixture
def gpt():
    return ledger.model_agent("openai", "gpt-4o-mini", params={"temperature": 0.8})


@pytest.fixture
def llm_step(run, gpt):
    """llm_step(*slots, **changes) → a recorded LLM step: a prompt showing the slots, the call, its program
    (parents: the slots) and one evaluation; `changes` replaces any of record_llm_step's arguments."""

    def record(*slots, **changes):
        arguments = dict(
            prompt=dict(template_name="funsearch", template_version="1", text="…", slots=list(slots)),
            call=dict(agent=gpt, response_text="def keep_v2(seed):\n    return True\n"),
            candidate=dict(source="def keep(seed):\n    return True\n"),
            evaluations=[dict(problem="rank3", verdict="complete", score=-92, seeds=92)],
        )
        return record_llm_step(run, **{**arguments, **changes})

    return record


@pytest.fixture
def founder(run, laporta):
    return ledger.record_candidate(run, source=LAPORTA, activity="literature", agent=laporta)


@pytest.fixture
def mutate(run, gp):
    """mutate(*parents) → a new GP candidate whose parents are the given candidates."""
    counter = iter(range(10**6))

    def make(*parents, target=run):
        roles = ["parent", "crossover_donor"]
        return ledger.record_candidate(
            target,
            source=f"def keep(seed):\n    return seed.r <= {next(counter)}\n",
            activity="gp_crossover" if len(parents) > 1 else "gp_mutation",
            agent=gp,
            parents=[(parent, roles[min(i, 1)]) for i, parent in enumerate(parents)],
        )

    return make


LAPORTA = "def keep(seed):\n    return seed.r <= seed.r_top + 1 and seed.s <= seed.s_top\n"
