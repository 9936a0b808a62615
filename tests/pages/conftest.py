"""A small run to show: a literature founder, GP children, an LLM step, evaluations; and a run of
another project (bob's) that alice must never see."""

import pytest

from evolution.runs import start_run
from provenance import ledger
from tests.steps import record_llm_step

LAPORTA = "def keep(seed):\n    return seed.r <= seed.r_top + 1 and seed.s <= seed.s_top\n"


@pytest.fixture
def run(project, alice):
    return start_run(
        project, family="trianglebox", problems=["rank3"], engine="mixed", started_by=alice, title="Night run"
    )


@pytest.fixture
def laporta():
    return ledger.literature_agent("Laporta rule", "S. Laporta (2000)", "hep-ph/0102033")


@pytest.fixture
def gp():
    return ledger.algorithm_agent("gp", "mutation", version="1")


@pytest.fixture
def gpt():
    return ledger.model_agent("openai", "gpt-4o-mini")


@pytest.fixture
def founder(run, laporta):
    candidate = ledger.record_candidate(run, source=LAPORTA, activity="literature", agent=laporta)
    ledger.record_evaluation(candidate, problem="rank3", verdict="complete", score=-120, seeds=120)
    return candidate


@pytest.fixture
def mutate(run, gp):
    """mutate(*parents, score=…) → a GP child of the parents, evaluated when a score is given."""
    counter = iter(range(10**6))

    def make(*parents, score=None, target=None):
        target = target or run
        roles = ["parent", "crossover_donor"]
        child = ledger.record_candidate(
            target,
            source=f"def keep(seed):\n    return seed.r <= {next(counter)}\n",
            activity="gp_crossover" if len(parents) > 1 else "gp_mutation",
            agent=gp,
            parents=[(parent, roles[min(i, 1)]) for i, parent in enumerate(parents)],
            island=0,
        )
        if score is not None:
            ledger.record_evaluation(child, problem="rank3", verdict="complete", score=score, seeds=-score)
        return child

    return make


@pytest.fixture
def llm_step(run, gpt):
    def record(
        *slots, source="def keep(seed):\n    return True\n", response="def keep_v2(seed):\n    return True\n"
    ):
        return record_llm_step(
            run,
            prompt=dict(
                template_name="funsearch", template_version="1", text="Improve f_v1.", slots=list(slots)
            ),
            call=dict(agent=gpt, response_text=response),
            candidate=dict(source=source),
            evaluations=[dict(problem="rank3", verdict="complete", score=-92, seeds=92)],
        )

    return record


@pytest.fixture
def other_run(other_project, bob):
    return start_run(
        other_project, family="doublebox", problems=["rank2"], engine="gp", started_by=bob
    )


@pytest.fixture
def other_candidate(other_run, laporta):
    return ledger.record_candidate(other_run, source=LAPORTA, activity="literature", agent=laporta)


@pytest.fixture
def as_alice(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def as_bob(client, bob):
    client.force_login(bob)
    return client


@pytest.fixture
def hostile_world(project, alice, laporta):
    """hostile_world(payload, model=…, run_note=…) → (run, candidate): the payload in the project name, the
    run title, a prompt, a model's output and name, a program, an evaluation error and notes."""
    from provenance.models import Project

    def build(payload, *, model: str, run_note: bool = False):
        Project.objects.filter(pk=project.pk).update(name=f"Project {payload}")
        run = start_run(
            project, family="trianglebox", problems=["rank3"], engine="llm", started_by=alice, title=payload
        )
        founder = ledger.record_candidate(
            run, source="def keep(seed):\n    return True\n", activity="literature", agent=laporta
        )
        step = record_llm_step(
            run,
            prompt=dict(
                template_name="funsearch", template_version="1", text=f"prompt {payload}", slots=[founder]
            ),
            call=dict(agent=ledger.model_agent("openai", model), response_text=f"output {payload}"),
            candidate=dict(source=f"# {payload}\ndef keep(seed):\n    return True\n"),
            evaluations=[
                dict(problem="rank3", verdict="failed", failure="exception", error=f"error {payload}")
            ],
        )
        ledger.annotate(step.candidate, f"note {payload}", alice)
        if run_note:
            ledger.annotate(run, f"run note {payload}", alice)
        return run, step.candidate

    return build
