"""With prompt evolution on, each system prompt of Shinka's prompts.sqlite becomes a prompt record of the
imported run (its text as Shinka kept it, its parent, generation and fitness in `archived`); the model
call that evolved it is recorded with its model, tokens and cost, and each program's call names the prompt
it sent."""

import json
import sqlite3
from contextlib import closing

import pytest

from provenance.models import LLMCall, Prompt, Run
from tests.sources.conftest import SHINKA, by_source_id, import_run

pytestmark = pytest.mark.django_db


def shinka_prompts() -> dict[str, dict]:
    uri = f"{(SHINKA / 'prompts.sqlite').resolve().as_uri()}?mode=ro&immutable=1"
    with closing(sqlite3.connect(uri, uri=True)) as connection:
        connection.row_factory = sqlite3.Row
        return {row["id"]: dict(row) for row in connection.execute("SELECT * FROM system_prompts")}


def test_each_system_prompt_is_a_prompt_record_and_each_program_names_the_one_it_sent(project):
    import_run("shinka", SHINKA)
    run = Run.objects.get(engine="shinka")
    expected = shinka_prompts()
    assert len(expected) >= 2  # the initial prompt and at least one evolved from it
    recorded = {
        p.archived["imported_from"]["id"]: p
        for p in Prompt.objects.filter(run=run, template_name="shinka:system prompt")
    }
    assert recorded.keys() == expected.keys()
    for shinka_id, row in expected.items():
        prompt = recorded[shinka_id]
        assert prompt.text == row["prompt_text"]
        assert prompt.archived["source"]["parent"] == row["parent_id"]
        assert prompt.archived["source"]["generation"] == row["generation"]
        assert prompt.archived["imported_from"]["file"].startswith("prompts.sqlite")
        if row["parent_id"]:
            assert prompt.archived["source"]["parent_record"] == recorded[row["parent_id"]].pk
            assert prompt.pk > recorded[row["parent_id"]].pk  # parents first

    evolved = [p for i, p in recorded.items() if expected[i]["patch_type"] != "init"]
    for prompt in evolved:  # the call that wrote it: usage and cost, its request not kept by Shinka
        (call,) = [
            c
            for c in LLMCall.objects.filter(run=run)
            if c.params.get("made system prompt", {}).get("record") == prompt.pk
        ]
        assert call.request_model == "gpt-4.1-nano" and call.usage_input_tokens == 700 and call.cost > 0
        assert "prompt" in call.params["not recorded by the source"]

    candidates = by_source_id(run)
    named = 0
    for shinka_id, row in expected.items():
        for program in json.loads(row["program_ids"] or "[]"):
            link = {"id": shinka_id, "record": recorded[shinka_id].pk}
            assert candidates[program].params["source"]["system_prompt"] == link
            assert candidates[program].llm_call.params["system_prompt"] == link
            assert candidates[program].llm_call.prompt.text.startswith(f"system:\n{row['prompt_text']}")
            named += 1
    assert named >= 2


def test_a_run_without_prompt_evolution_says_its_system_prompts_are_missing(project, copied):
    directory = copied("shinka")
    (directory / "prompts.sqlite").unlink()
    out = import_run("shinka", directory)
    assert "prompts.sqlite (prompt evolution off)" in out
    assert not Prompt.objects.filter(template_name="shinka:system prompt").exists()
