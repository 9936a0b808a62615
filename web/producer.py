"""What produced a candidate, as rows of a table a reader can scan (label, value): the model call, the
person (and the rationale they gave), or the algorithm and its operator parameters."""

import json

from provenance.models import Agent, Candidate
from web.labels import activity_label, agent_label

MAX_VALUE = 300  # characters of one parameter shown; the record keeps it whole


def producer_rows(candidate: Candidate) -> list[tuple[str, str]]:
    agent = candidate.agent
    rows = [("Activity", activity_label(candidate.activity)),
            ("Agent", f"{agent_label(agent.name)} ({agent.kind})")]
    call = candidate.llm_call
    if call is not None:
        tokens = f"{_or(call.usage_input_tokens, '?')} in / {_or(call.usage_output_tokens, '?')} out"
        rows += [
            ("LLM call", str(call.pk)),
            ("Model", call.request_model + (f" ({call.provider_name})" if call.provider_name else "")),
            ("Temperature", _or(call.request_temperature, "–")),
            ("Finish", ", ".join(call.response_finish_reasons or []) or "–"),
            ("Tokens", tokens),
            ("Cost", "unknown" if call.cost is None else f"${call.cost}"),
        ]
    elif agent.kind == Agent.Kind.PERSON and agent.user is not None:
        rows.append(("Written by", agent.user.get_full_name() or agent.user.get_username()))
    if agent.version:
        rows.append(("Version", agent.version))
    if agent.citation:
        rows.append(("Citation", agent.citation))
    for key, value in (candidate.params or {}).items():
        rows.append((key.replace("_", " ").capitalize(), _value(value)))
    return rows


def _or(value, missing: str) -> str:
    return missing if value is None else str(value)


def _value(value) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= MAX_VALUE else text[:MAX_VALUE] + "…"
