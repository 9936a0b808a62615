"""The Markdown transcript: a header, the chain heads, then every step in the order it was recorded.

Untrusted text (prompts, model output, programs, notes) goes in fenced blocks whose fence is longer than any
backtick run inside, so nothing can close them early; short strings are escaped (every ASCII punctuation
character backslash-escaped), so no HTML or Markdown passes through. Control characters are shown, not
passed on (provenance.exports.text.visible): the JSONL archive holds the exact text.
"""

import json
import re

from provenance.exports import Export
from provenance.exports.scope import Scope
from provenance.exports.text import (
    author,
    describe_agent,
    facts,
    heads,
    one_line,
    unified_diff,
    verify_steps,
    visible,
)
from provenance.models import Candidate, LLMCall

PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def md(value) -> str:
    return PUNCTUATION.sub(r"\\\1", one_line(value))


def fence(text: str, info: str = "") -> str:
    text = visible(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    marks = "`" * max(3, longest + 1)
    body = text if text.endswith("\n") or not text else text + "\n"
    return f"{marks}{info}\n{body}{marks}\n"


def render(scope: Scope) -> Export:
    return Export(transcript(scope).encode("utf-8"), f"{scope.name}.md", "text/markdown; charset=utf-8")


def transcript(scope: Scope) -> str:
    out = [header(scope), chain_section(scope), "## Steps, in the order they were recorded\n"]
    produced = {c.llm_call_id for c in scope.candidates}
    steps = [*scope.candidates, *(call for call in scope.calls if call.pk not in produced)]
    order = {run.pk: i for i, run in enumerate(scope.runs)}
    steps.sort(key=lambda r: (order[r.run_id], r.seq))
    for number, step in enumerate(steps, 1):
        out.append(
            candidate_step(scope, number, step)
            if isinstance(step, Candidate)
            else lone_call(scope, number, step)
        )
    return "\n".join(out)


def header(scope: Scope) -> str:
    f = facts(scope)
    what = f"ancestry of candidate {scope.focus.pk}" if scope.focus else f"run {scope.run.pk}"
    cost = "unknown" if f.cost is None else f"{f.cost} (price tables: {', '.join(f.price_tables) or 'none'})"
    lines = [
        f"# Seedtrace transcript: {what}\n",
        *(
            f"- **Run {run.pk}**: {md(run.title or run.family)}, engine {md(run.engine)}, seed "
            f"{run.random_seed}, code {md(run.code_version or 'unrecorded')}, "
            f"started {run.recorded_at:%Y-%m-%d %H:%M} UTC"
            for run in scope.runs
        ),
        f"- **Family**: {md(f.family)}",
        f"- **Problems**: {md(', '.join(f.problems))}",
        f"- **Engines**: {md(', '.join(f.engines))}",
        f"- **Models**: {md('; '.join(f.models) or 'none')}",
        f"- **Algorithms**: {md('; '.join(f.algorithms) or 'none')}",
        f"- **Literature**: {md('; '.join(f.literature) or 'none')}",
        f"- **People**: {md('; '.join(f.people) or 'none')}",
        f"- **Counts**: {f.candidates} candidates, {f.calls} LLM calls, {f.evaluations} evaluations "
        f"({f.failed_evaluations} failed), {len(scope.edges)} edges, {len(scope.annotations)} notes",
        f"- **Tokens**: {f.input_tokens} in, {f.output_tokens} out; **cost**: {md(cost)}",
        f"- **Solver**: {md(', '.join(f.solver_versions) or 'unrecorded')}; "
        f"primes {', '.join(map(str, f.primes)) or 'none'}",
    ]
    if scope.focus is not None:
        lines.append(f"- **Final program**: candidate {scope.focus.pk} (hash `{scope.focus.hash}`)")
    return "\n".join(lines) + "\n"


def chain_section(scope: Scope) -> str:
    lines = ["## Ledger chain head\n"]
    for head in heads(scope):
        lines.append(f"- Chain `{head.chain}` at seq {head.seq}: `{head.hash}`")
        lines += [f"  - {step}" for step in verify_steps(head, f"{scope.name}.jsonl")]
    return "\n".join(lines) + "\n"


def candidate_step(scope: Scope, number: int, candidate: Candidate) -> str:
    agent = scope.agent(candidate.agent_id)
    out = [
        f"### Step {number}: candidate {candidate.pk} ({md(candidate.activity)})\n",
        f"- Recorded {candidate.recorded_at.isoformat()} in run {candidate.run_id}, seq {candidate.seq}, "
        f"hash `{candidate.hash}`",
        f"- Agent: {md(describe_agent(agent))} ({md(agent.kind)})",
        f"- Activity: {md(candidate.activity)}"
        + (f", island {candidate.island}" if candidate.island is not None else ""),
    ]
    parents = scope.parents(candidate)
    if parents:
        listed = ", ".join(
            f"candidate {p.pk} ({md(e.role)}{' ' + md(e.slot) if e.slot else ''})" for e, p in parents
        )
        out.append(f"- Parents: {listed}")
    if candidate.params:
        out.append(f"- Operator parameters: {md(json.dumps(candidate.params, sort_keys=True))}")
    out.append("")
    call = scope.call_of(candidate)
    if call is not None:
        out.append(call_block(scope, call))
    out += ["#### Program\n", fence(candidate.source, "python")]
    for edge, parent in parents:
        out += [
            f"#### Diff to candidate {parent.pk} ({md(edge.role)})\n",
            fence(
                unified_diff(
                    parent.source, candidate.source, f"candidate {parent.pk}", f"candidate {candidate.pk}"
                )
                or "(identical)\n",
                "diff",
            ),
        ]
    evaluations = scope.evaluations_of(candidate)
    if evaluations:
        out += [
            "#### Scores\n",
            "| problem | verdict | score | seeds | equations | masters | unreduced | seconds | "
            "failure | solver | prime |",
            "|" + "---|" * 11,
        ]
        for e in evaluations:
            cells = [
                e.problem,
                e.verdict,
                e.score,
                e.seeds,
                e.equations,
                e.masters,
                e.unreduced,
                None if e.seconds is None else round(e.seconds, 3),
                e.failure,
                e.solver_version,
                e.prime,
            ]
            out.append("| " + " | ".join("" if c is None else md(c) for c in cells) + " |")
        out.append("")
        for e in evaluations:
            if e.error:
                out += [f"Error on {md(e.problem)}:\n", fence(e.error, "text")]
    out += notes(scope, candidate, *evaluations)
    return "\n".join(out)


def call_block(scope: Scope, call: LLMCall) -> str:
    out = []
    prompt = scope.prompt_of(call)
    if prompt is not None:
        slots = ", ".join(f"{md(s['slot'])} = candidate {s['candidate']}" for s in prompt.slots)
        out += [
            f"#### Prompt {prompt.pk} (template {md(prompt.template_name)} "
            f"version {md(prompt.template_version)})\n",
            *([f"Slots: {slots}\n"] if slots else []),
            fence(prompt.text, "text"),
        ]
    request = {k: v for k, v in call.otel_attributes().items()}
    out += [
        f"#### LLM call {call.pk}: {md(describe_agent(scope.agent(call.agent_id)))}, "
        f"attempt {call.attempt}\n",
        f"- Request and response: {md(json.dumps(request, sort_keys=True, default=str))}",
        f"- Other parameters: {md(json.dumps(call.params, sort_keys=True))}" if call.params else "",
        f"- Latency {call.latency_seconds} s; cost {md(call.cost if call.cost is not None else 'unknown')}"
        + (f" ({md(call.price_table)})" if call.price_table else ""),
        *([f"- Error: {md(call.error_type)} {md(call.error)}"] if call.failed else []),
        "",
        "Raw model output:\n",
        fence(call.response_text, "text"),
    ]
    out += notes(scope, *([prompt] if prompt else []), call)
    return "\n".join(line for line in out if line is not None)


def lone_call(scope: Scope, number: int, call: LLMCall) -> str:
    return f"### Step {number}: LLM call {call.pk}, which produced no program\n\n" + call_block(scope, call)


def notes(scope: Scope, *records) -> list[str]:
    out = []
    for record in records:
        for note in scope.notes_on(record):
            out += [
                f"Note on {record._meta.verbose_name} {record.pk} by {md(author(note))}, "
                f"{note.recorded_at.isoformat()} (version {note.version}):\n",
                fence(note.body, "markdown"),
            ]
    return out
