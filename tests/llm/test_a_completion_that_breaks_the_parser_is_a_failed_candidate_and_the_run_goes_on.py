"""Completions built to break a parser (7,000 minus signs, 400 nested ones, fence bait, a megabyte, null
bytes) are candidates like any other: recorded with their call, evaluated as failed with the reason, and the
run goes on to its budget; the good completions around them score. A parent too deep to split is shown as
written rather than ending the prompt."""

import pytest

from evolution.controller import Controller
from evolution.llm.client import MAX_RECORDED
from evolution.models import RunState
from provenance.models import Candidate, LLMCall
from provenance.verify import verify
from tests.llm.conftest import RULES, engine_for, llm_config
from tests.llm.server import Reply

pytestmark = pytest.mark.django_db(transaction=True)

HOSTILE = {
    "7,000 minus signs": "    return " + "-" * 7000 + "seed.t <= 1\n",
    "400 nested minus signs": "    return " + "-" * 400 + "seed.t <= 1\n",
    "fence bait under the cap": "```" + " " * 60_000,
    "fence bait over the cap": "```" + " " * 200_000,
    "a megabyte": "    return seed.t < 1 or " * 40_000,
    "null bytes": "    return seed.d == 0\x00 and seed.s <= 1\x00\n",
}


def stored(text: str) -> str:
    """The completion as the call records it: NUL replaced (no database stores it), cut at the record cap."""
    return text.replace("\x00", "\ufffd")[:MAX_RECORDED]


def test_every_hostile_completion_is_a_failed_candidate_with_a_reason_and_the_run_finishes(
    server, project, alice
):
    server.script.extend(Reply(text=text) for text in HOSTILE.values())
    budget = 4 + len(HOSTILE) + 4  # the starting population, the hostile answers, good ones after them
    controller = Controller.start(project, llm_config(server, budget=budget), user=alice)
    final = controller.evolve()
    run = controller.run
    state = RunState.objects.get(run=run)
    assert (state.status, state.message, final.candidates) == ("finished", "budget reached", budget)

    llm = list(Candidate.objects.filter(run=run, activity="llm").select_related("llm_call"))
    for name, text in HOSTILE.items():
        (candidate,) = [c for c in llm if c.llm_call.response_text == stored(text)]
        assert candidate.source.startswith("def keep(seed):"), name
        assert candidate.params["extraction"]["ok"] is False and candidate.params["extraction"]["reason"]
        (evaluation,) = candidate.evaluations.all()
        assert evaluation.verdict == "failed" and evaluation.failure == "refused", name
        assert evaluation.error.startswith("refused: "), name

    good = [c for c in llm if c.llm_call.response_text in RULES]
    assert len(good) == 4
    assert all(e.verdict != "failed" and e.score is not None for c in good for e in c.evaluations.all())
    assert (state.failures, state.evaluations) == (len(HOSTILE), budget)
    assert all(report.intact for report in verify(run.pk))


def test_the_reasons_name_the_limit_each_completion_broke(server, step_of):
    server.script.extend(Reply(text=text) for text in HOSTILE.values())
    step = step_of("def keep(seed):\n    return seed.r <= seed.r_top\n")
    proposals = engine_for(server, step.run, samples=len(HOSTILE)).propose(step)
    # The samples were in flight together: each answer is known by its text, not by its place.
    answered = {p.llm_call.response_text: p.params["extraction"].get("reason", "") for p in proposals}
    reasons = {name: answered[stored(text)] for name, text in HOSTILE.items()}
    assert "nested too deeply to parse" in reasons["7,000 minus signs"]
    assert "nested more than 100 levels deep" in reasons["400 nested minus signs"]
    assert reasons["fence bait under the cap"] == "no function body could be parsed"
    assert reasons["fence bait over the cap"] == "the completion is 200003 characters; at most 65536 are read"
    assert reasons["a megabyte"] == "the completion is 1000000 characters; at most 65536 are read"
    assert reasons["null bytes"] == "no function body could be parsed"


def test_a_megabyte_answer_is_recorded_up_to_the_cap_and_says_so(server, step_of):
    server.script.append(Reply(text=HOSTILE["a megabyte"]))
    step = step_of("def keep(seed):\n    return seed.r <= seed.r_top\n")
    (proposal,) = engine_for(server, step.run, samples=1).propose(step)
    call = LLMCall.objects.get(pk=proposal.llm_call.pk)
    assert call.response_text == HOSTILE["a megabyte"][:MAX_RECORDED]
    assert len(call.response_body) == MAX_RECORDED
    truncated = call.params["truncated"]
    assert truncated["response_text"] == {"chars": 1_000_000, "kept": MAX_RECORDED}
    assert truncated["response_body"]["chars"] > 1_000_000
    assert len(proposal.source) <= 20_100  # the candidate keeps the start of what was refused


def test_a_parent_too_deep_to_split_is_shown_as_written_and_noted(server, step_of):
    deep = "def keep(seed): return " + "-" * 400 + "seed.t <= 1\n"
    step = step_of(deep, "def keep(seed):\n    return seed.d == 0\n")
    (proposal,) = engine_for(server, step.run, samples=1).propose(step)
    call = LLMCall.objects.get(pk=proposal.llm_call.pk)
    assert "def keep_v0(seed):\n    return " + "-" * 400 + "seed.t <= 1\n" in call.prompt.text
    assert call.prompt.slot_candidate_ids == [parent.pk for parent in step.parents]
    (note,) = call.params["notes"]
    assert note.startswith(f"candidate {step.parents[0].pk} shown as written: ") and "100 levels" in note
    assert proposal.params["extraction"] == {"ok": True}
