"""The link rules are a table, as AiiDA's are: each activity names the edge roles its candidate may have. A
role it does not name is refused with a LinkError that says so, and nothing is written — on a new candidate,
and on an edge added later to a candidate a real GP run made (a mutation is nobody's edit)."""

import pytest

from evolution.controller import Controller
from provenance import ledger
from provenance.errors import LinkError
from provenance.links import ACTIVITY_ROLES
from provenance.models import RECORD_MODELS, Activity, Candidate, Edge
from tests.evolution.conftest import config

ALLOWED = {
    "literature": set(),
    "random_init": set(),
    "gp_crossover": {"parent", "crossover_donor"},
    "gp_mutation": {"parent"},
    "gp_selection": {"parent"},
    "llm": {"parent", "inspiration"},
    "human": {"inspiration"},
    "human_edit": {"human_edit_of", "inspiration"},
    "migration": {"migration_source"},
    "island_reset": {"reset_founder"},
    "import": set(Edge.Role.values),
}


def counts():
    return {model._meta.model_name: model.objects.count() for model in RECORD_MODELS}


def test_the_table_names_every_activity_and_only_known_roles():
    assert {activity: set(roles) for activity, roles in ACTIVITY_ROLES.items()} == ALLOWED
    assert set(ACTIVITY_ROLES) == set(Activity.values)


@pytest.fixture
def agents(laporta, gp, gpt, alice):
    person = ledger.person_agent(alice)
    return {"literature": laporta, "llm": gpt, "human": person, "human_edit": person, "import": laporta}


@pytest.mark.django_db
@pytest.mark.parametrize("activity", sorted(ALLOWED))
@pytest.mark.parametrize("role", sorted(Edge.Role.values))
def test_a_new_candidate_has_only_the_roles_of_its_activity(run, founder, agents, gp, gpt, activity, role):
    agent = agents.get(activity, gp)
    call = ledger.record_llm_call(run, agent=gpt, response_text="…") if activity == "llm" else None
    before = counts()

    def record():
        return ledger.record_candidate(run, source="def keep(seed):\n    return True\n", activity=activity,
                                       agent=agent, llm_call=call, parents=[(founder, role)])

    if role in ALLOWED[activity]:
        assert record().parent_edges.get().role == role
        return
    with pytest.raises(LinkError, match=f"a {activity} candidate cannot have a '{role}' edge"):
        record()
    assert counts() == before


@pytest.mark.django_db(transaction=True)
def test_a_gp_mutation_of_a_real_run_cannot_be_made_an_edit_after_the_fact(project, alice):
    controller = Controller.start(project, config(budget=8), user=alice)
    controller.evolve()
    mutated = Candidate.objects.filter(run=controller.run, activity="gp_mutation").first()
    founder = Candidate.objects.get(run=controller.run, activity="literature")
    assert mutated is not None
    before = counts()
    with pytest.raises(LinkError, match="a gp_mutation candidate cannot have a 'human_edit_of' edge"):
        ledger.record_edge(mutated, founder, "human_edit_of")
    assert counts() == before
