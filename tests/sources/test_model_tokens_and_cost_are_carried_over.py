"""The model, its tokens and its cost travel as the LLM call's own fields where the tool kept them (Shinka:
all three; OpenEvolve: model and tokens), and are left unknown where it did not (OpenEvolve's cost)."""

import json
import sqlite3
from decimal import Decimal

import pytest

from provenance.models import Import
from tests.sources.conftest import OPENEVOLVE, SHINKA, by_source_id, import_run

pytestmark = pytest.mark.django_db


def test_shinka_calls_carry_model_tokens_and_cost(project):
    import_run("shinka", SHINKA)
    candidates = by_source_id(Import.objects.get().run)
    connection = sqlite3.connect(f"{(SHINKA / 'programs.sqlite').as_uri()}?mode=ro&immutable=1", uri=True)
    checked = 0
    for pid, metadata in connection.execute("SELECT id, metadata FROM programs"):
        result = json.loads(metadata).get("llm_result")
        call = candidates[pid].llm_call
        if not result:
            assert call is None
            continue
        assert call.request_model == result["model_name"] == "gpt-4.1-nano"
        assert call.agent.model == "gpt-4.1-nano"
        assert (call.usage_input_tokens, call.usage_output_tokens) == (
            result["input_tokens"],
            result["output_tokens"],
        )
        assert call.cost == Decimal(str(result["cost"])).quantize(Decimal("0.00000001")) > 0
        assert call.price_table.startswith("shinka")
        assert call.response_text == result["content"]
        assert call.prompt.text.endswith(result["msg"])
        assert call.server_address == "127.0.0.1"  # the host, never the URL
        checked += 1
    assert checked >= 4


def test_openevolve_calls_carry_model_and_tokens_and_leave_cost_unknown(project):
    import_run("openevolve", OPENEVOLVE)
    candidates = by_source_id(Import.objects.get().run)
    for file in OPENEVOLVE.glob("checkpoints/*/programs/*.json"):
        program = json.loads(file.read_text())
        call = candidates[program["id"]].llm_call
        usage = program["metadata"].get("token_usage")
        if program["parent_id"] is None or program["metadata"].get("migrant"):
            assert call is None
            continue
        assert call.request_model == program["metadata"]["llm_model"] == "gpt-4o-mini"
        assert call.usage_input_tokens == usage["prompt_tokens"]
        assert call.usage_output_tokens == usage["completion_tokens"]
        assert call.cost is None and call.price_table == ""
        assert "cost" in call.params["not recorded by the source"]
