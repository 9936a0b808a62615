import pytest

from provenance import ledger
from provenance.errors import LinkError
from provenance.models import Agent

pytestmark = pytest.mark.django_db


def test_asking_twice_for_the_same_agent_gives_the_same_record(alice):
    first = ledger.model_agent("openai", "gpt-4o-mini", params={"temperature": 0.8, "top_p": 1})
    again = ledger.model_agent("openai", "gpt-4o-mini", params={"top_p": 1, "temperature": 0.8})
    hotter = ledger.model_agent("openai", "gpt-4o-mini", params={"temperature": 1.0, "top_p": 1})
    assert first == again != hotter
    assert ledger.person_agent(alice) == ledger.person_agent(alice)
    assert Agent.objects.count() == 3


@pytest.mark.parametrize(
    ("make", "prov_type"),
    [
        (lambda user: ledger.person_agent(user), "prov:Person"),
        (lambda user: ledger.model_agent("vllm", "qwen2.5-coder", version="7b"), "prov:SoftwareAgent"),
        (lambda user: ledger.algorithm_agent("gp", "crossover", version="1"), "prov:SoftwareAgent"),
        (
            lambda user: ledger.literature_agent(
                "Kira-3 rule", "F. Lange, J. Usovitsch and Z. Wu", "arXiv:2505.20197"
            ),
            "prov:Agent",
        ),
    ],
)
def test_each_kind_of_agent_has_its_prov_type(alice, make, prov_type):
    assert make(alice).prov_type == prov_type


def test_a_person_agent_is_a_user_account_and_nothing_else_is(alice):
    with pytest.raises(LinkError):
        ledger.record_agent("person", "someone")
    with pytest.raises(LinkError):
        ledger.record_agent("model", "gpt", user=alice)
    assert not Agent.objects.exists()
