"""An LLM step for tests that need one in a line: its prompt, the call, the candidate (parents: the prompt's
slots, role `parent`, unless given) and its evaluations, written through the ledger in one transaction (one
statement on PostgreSQL). The engines write the same records in the transactions they happen in (the prompt,
each call as it returns, the candidate with its edges in the step's, each evaluation in its worker's): tests
of that path run the engines (tests/llm)."""

from collections.abc import Sequence
from dataclasses import dataclass

from provenance import ledger
from provenance.models import Activity, Candidate, Edge, Evaluation, LLMCall, Prompt, Run


@dataclass
class RecordedStep:
    prompt: Prompt
    llm_call: LLMCall
    candidate: Candidate
    evaluations: list[Evaluation]


def record_llm_step(
    run: Run, *, prompt: dict, call: dict, candidate: dict, evaluations: Sequence[dict] = ()
) -> RecordedStep:
    """The dicts hold the keyword arguments of the ledger's record_* functions."""
    with ledger.batch(run) as chain, chain.deferred():  # written at the end, together
        recorded_prompt = ledger.record_prompt(run, **prompt)
        recorded_call = ledger.record_llm_call(run, prompt=recorded_prompt, **call)
        shown = [(c, Edge.Role.PARENT, slot["slot"]) for c, slot in zip(_shown(prompt), recorded_prompt.slots,
                                                                       strict=True)]
        candidate = {"parents": shown, **candidate}
        recorded = ledger.record_candidate(run, activity=Activity.LLM, llm_call=recorded_call, **candidate)
        scored = [ledger.record_evaluation(recorded, **evaluation) for evaluation in evaluations]
    return RecordedStep(recorded_prompt, recorded_call, recorded, scored)


def _shown(prompt: dict) -> list[Candidate]:
    return [item[1] if isinstance(item, tuple) else item for item in prompt.get("slots", ())]
