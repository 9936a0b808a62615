"""A run whose calls' cost is unknown (a model no price table names, or a server that sent no token counts)
never shows a cost of $0.0000: its run page, its JSON and every prose export say how many calls are of
unknown cost, and give the known part as a lower bound ("at least …") or say "unknown" when none is known."""

import itertools
from decimal import Decimal

import pytest
from django.urls import reverse

from evolution.controller import Controller
from provenance.exports import export
from provenance.models import LLMCall
from tests.llm.conftest import llm_config
from tests.llm.server import Reply

pytestmark = pytest.mark.django_db(transaction=True)

PROSE = ("md", "tex", "disclosure")


def evolve(server, project, alice, model: str):
    return Controller.start(project, llm_config(server, budget=8, llm={"model": model, "samples": 1}),
                            user=alice).evolve()


def shown(client, alice, run_id: int) -> tuple[str, dict, dict[str, str]]:
    client.force_login(alice)
    page = client.get(reverse("pages:run", args=[run_id])).content.decode()
    data = client.get(reverse("pages:api-run", args=[run_id])).json()
    # Markdown and LaTeX escape the punctuation of "0.00012 (3 calls …)": read them without the escapes.
    texts = {fmt: export(fmt, run=run_id).content.decode().replace("\\", "") for fmt in PROSE}
    return page, data, texts


def test_an_unpriced_model_s_run_costs_unknown_everywhere(server, project, alice, client):
    run = evolve(server, project, alice, "local-coder").run
    calls = LLMCall.objects.filter(run=run).count()
    page, data, texts = shown(client, alice, run)
    said = f"unknown ({calls} calls of unknown cost)"
    assert f'<dd class="cost">{said}</dd>' in page and "$0.0000" not in page
    assert (data["cost"], data["calls_of_unknown_cost"]) == (None, calls)
    assert data["cost_known_part"] == "0.00000000"
    for fmt, text in texts.items():
        assert said in text, fmt


def test_calls_without_token_counts_make_the_known_part_a_lower_bound(server, project, alice, client):
    replies = itertools.cycle([Reply(), Reply(usage=None)])  # every other answer comes without its usage
    server.default = lambda request: next(replies)
    run = evolve(server, project, alice, "gpt-4o-mini").run
    priced = LLMCall.objects.filter(run=run, cost__isnull=False)
    known = sum((call.cost for call in priced), Decimal(0))
    unknown = LLMCall.objects.filter(run=run, usage_input_tokens=None).count()
    assert known > 0 and unknown > 0
    page, data, texts = shown(client, alice, run)
    calls = f"({unknown} call{'s' if unknown > 1 else ''} of unknown cost)"
    assert f'<dd class="cost">at least ${known:.4f} {calls}</dd>' in page
    assert (data["cost"], data["calls_of_unknown_cost"]) == (None, unknown)
    assert data["cost_known_part"] == f"{known:f}"
    for fmt, text in texts.items():
        assert f"at least {known} {calls}" in text, fmt


def test_a_fully_priced_run_states_its_cost(server, project, alice, client):
    run = evolve(server, project, alice, "gpt-4o-mini").run
    known = sum((call.cost for call in LLMCall.objects.filter(run=run)), Decimal(0))
    page, data, texts = shown(client, alice, run)
    assert f'<dd class="cost">${known:.4f}</dd>' in page
    assert (data["cost"], data["calls_of_unknown_cost"]) == (f"{known:f}", 0)
    for fmt, text in texts.items():
        assert f"{known} " in text and "unknown cost" not in text, fmt
