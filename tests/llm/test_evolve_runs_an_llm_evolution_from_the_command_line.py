"""`manage.py evolve --engine llm|mixed` with the model options: the run's configuration records the model
and endpoint it used (from the options or the environment), never the key."""

import json

import pytest
from django.core.management import CommandError, call_command

from evolution.models import RunState
from provenance.models import LLMCall, Run
from tests.llm.conftest import KEY

pytestmark = pytest.mark.django_db(transaction=True)


def evolve(*args, capsys):
    call_command("evolve", "--family", "trianglebox", "--problem", "rank3", "--population", "4", "--json",
                 "--verbosity", "0", *args)
    return json.loads(capsys.readouterr().out)


def test_an_llm_evolution_with_caps_from_the_command_line(server, capsys):
    summary = evolve("--engine", "llm", "--budget", "12", "--model", "gpt-4o-mini", "--llm-base-url",
                     server.base_url, "--temperature", "0.3", "--samples", "2", "--max-llm-calls", "4",
                     "--llm-parallel", "1", capsys=capsys)
    run = Run.objects.get(pk=summary["run"])
    llm = run.config["llm"]
    assert (llm["model"], llm["base_url"], llm["temperature"], llm["max_calls"], llm["parallel"]) == (
        "gpt-4o-mini", server.base_url, 0.3, 4, 1)
    assert KEY not in json.dumps(run.config)
    assert RunState.objects.get(run=run).message == "LLM call cap reached (4 of 4 calls)"
    assert LLMCall.objects.filter(run=run).count() == 4 and summary["evaluations"] == 8


def test_the_model_can_come_from_the_environment(server, capsys, monkeypatch):
    monkeypatch.setenv("LLM_MODEL", "local-coder")
    monkeypatch.setenv("LLM_BASE_URL", server.base_url)
    summary = evolve("--engine", "mixed", "--budget", "8", "--llm-ratio", "1", "--samples", "1",
                     capsys=capsys)
    run = Run.objects.get(pk=summary["run"])
    assert (run.config["llm"]["model"], run.config["llm"]["ratio"]) == ("local-coder", 1.0)
    assert set(LLMCall.objects.filter(run=run).values_list("request_model", flat=True)) == {"local-coder"}


def test_a_cost_cap_on_an_unpriced_model_is_refused_before_the_run_starts(server):
    with pytest.raises(CommandError, match="no price for 'local-coder'"):
        call_command("evolve", "--family", "trianglebox", "--problem", "rank3", "--engine", "llm",
                     "--budget", "8", "--model", "local-coder", "--llm-base-url", server.base_url,
                     "--max-cost", "1")
    assert not Run.objects.exists()
