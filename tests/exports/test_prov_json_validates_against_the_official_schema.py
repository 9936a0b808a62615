"""The PROV-JSON export validates against the W3C PROV-JSON schema and carries the lineage."""

import json
from pathlib import Path

import jsonschema
import pytest

from provenance.exports import export
from tests.exports.conftest import HOSTILE

pytestmark = pytest.mark.django_db
SCHEMA = json.loads((Path(__file__).parent / "standards" / "prov-json.schema.json").read_text())


@pytest.fixture
def prov(story):
    return json.loads(export("prov", candidate=story.final.pk).content)


def test_it_validates(prov):
    jsonschema.Draft4Validator(SCHEMA).validate(prov)
    assert "wasEndedBy" not in prov and "wasEndedby" not in prov


def test_the_final_program_derives_from_every_ancestor(story, prov):
    programs = {f"st:candidate-{c.hash}" for c in (story.founder, story.mutant, story.llm, story.final)}
    assert programs <= set(prov["entity"])
    assert f"st:candidate-{story.stranger.hash}" not in prov["entity"]
    derived = {(d["prov:generatedEntity"], d["prov:usedEntity"]) for d in prov["wasDerivedFrom"].values()}
    assert (f"st:candidate-{story.final.hash}", f"st:candidate-{story.llm.hash}") in derived
    assert (f"st:candidate-{story.llm.hash}", f"st:candidate-{story.founder.hash}") in derived


def test_the_call_used_its_prompt_and_the_model_acted_for_the_engine_for_the_person(story, prov):
    call = f"st:llmcall-{story.step.llm_call.hash}"
    assert {(u["prov:activity"], u["prov:entity"]) for u in prov["used"].values()} >= {
        (call, f"st:prompt-{story.step.prompt.hash}")
    }
    prompt = prov["entity"][f"st:prompt-{story.step.prompt.hash}"]
    assert prompt["prov:value"] == story.step.prompt.text and HOSTILE in prompt["prov:value"]
    delegations = {(d["prov:delegate"], d["prov:responsible"]) for d in prov["actedOnBehalfOf"].values()}
    engine = f"st:engine-{story.run.hash}"
    assert (f"st:agent-{story.step.llm_call.agent.hash}", engine) in delegations
    assert (engine, f"st:user-{story.run.started_by_id}") in delegations


def test_it_names_the_chain_head(story, prov):
    head = prov["entity"][f"st:chain-run-{story.run.pk}"]
    assert head["st:hash"] and "manage.py verify --run" in head["st:verify"]
