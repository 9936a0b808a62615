"""A whole LLM evolution against a server that fails in every way it can: every failed call is on the record,
the run finishes with its budget spent, and the run's state counts the calls, tokens and cost."""

import pytest
from django.db.models import Sum

from evolution.controller import Controller
from evolution.models import RunState
from provenance.models import Candidate, Edge, LLMCall, Prompt
from provenance.verify import verify
from tests.llm.conftest import llm_config
from tests.llm.server import Reply

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_run_finishes_with_every_fault_recorded(server, project, alice):
    server.script.extend([Reply(status=429, headers={"Retry-After": "0"}), Reply(status=503),
                          Reply(choices=0), Reply(body=b"not json"), Reply(finish_reason="length"),
                          Reply(text="  ")])
    # One call at a time, so that the script's faults meet the first sample in order (see the end).
    config = llm_config(server, budget=10, llm={"timeout": 2.0, "parallel": 1})
    controller = Controller.start(project, config, user=alice)
    final = controller.evolve()
    run = controller.run
    state = RunState.objects.get(run=run)
    assert (state.status, state.message, final.candidates) == ("finished", "budget reached", 10)
    failed = LLMCall.objects.filter(run=run).exclude(error_type="")
    assert sorted(failed.values_list("error_type", flat=True)) == sorted(
        ["429", "503", "empty_choices", "malformed_response", "truncated", "empty_completion"])
    llm = Candidate.objects.filter(run=run, activity="llm")
    assert llm.count() == 6  # 10 less the starting population of 4
    for candidate in llm:
        assert not candidate.llm_call.failed and candidate.llm_call.prompt is not None
        slots = [(e.slot, e.parent_id) for e in Edge.objects.filter(child=candidate).order_by("slot")]
        assert slots == [(s["slot"], s["candidate"]) for s in candidate.llm_call.prompt.slots]
        assert candidate.evaluations.count() == 1
    calls = LLMCall.objects.filter(run=run)
    totals = calls.aggregate(i=Sum("usage_input_tokens"), o=Sum("usage_output_tokens"), c=Sum("cost"))
    assert (state.llm_calls, state.input_tokens, state.output_tokens) == (
        calls.count(), totals["i"], totals["o"])
    assert state.cost == round(totals["c"], 6)
    # Five failed attempts used up the first sample (max_attempts 5); the next one got through.
    first = Prompt.objects.filter(run=run).order_by("seq").first()
    assert list(first.calls.order_by("seq").values_list("attempt", flat=True)) == [1, 2, 3, 4, 5, 1, 2]
    assert all(report.intact for report in verify(run.pk))
