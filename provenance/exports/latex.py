"""The LaTeX supplement: the transcript as an appendix that compiles with pdflatex.

Needs only fancyvrb, color and the Times/Courier fonts of texlive-fonts-recommended (no font is generated at
compile time). Untrusted text goes through provenance.exports.tex only.
"""

import json

from provenance.exports import Export
from provenance.exports.disclosure import tex_paragraph
from provenance.exports.scope import Scope
from provenance.exports.tex import code, escape, style_definitions
from provenance.exports.text import author, describe_agent, facts, heads, unified_diff, verify_steps
from provenance.models import Candidate, LLMCall

PREAMBLE = r"""\documentclass[10pt]{article}
\usepackage[T1]{fontenc}
\usepackage{mathptmx}
\usepackage{courier}
\usepackage{fancyvrb}
\usepackage{color}
\setlength{\parindent}{0pt}
\setlength{\parskip}{4pt}
\sloppy
"""


def render(scope: Scope) -> Export:
    return Export(supplement(scope).encode("ascii"), f"{scope.name}.tex", "application/x-tex")


def supplement(scope: Scope) -> str:
    out = [
        PREAMBLE,
        style_definitions(),
        r"\begin{document}",
        header(scope),
        tex_paragraph(scope),
        chain_section(scope),
        r"\subsection*{Steps, in the order they were recorded}",
    ]
    produced = {c.llm_call_id for c in scope.candidates}
    order = {run.pk: i for i, run in enumerate(scope.runs)}
    steps = sorted(
        [*scope.candidates, *(c for c in scope.calls if c.pk not in produced)],
        key=lambda r: (order[r.run_id], r.seq),
    )
    for number, step in enumerate(steps, 1):
        out.append(
            candidate_step(scope, number, step)
            if isinstance(step, Candidate)
            else rf"\subsubsection*{{Step {number}: LLM call {step.pk}, which produced no program}}"
            + call_block(scope, step)
        )
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"


def items(*lines: str) -> str:
    return "\\begin{itemize}\n" + "\n".join(rf"\item {line}" for line in lines if line) + "\n\\end{itemize}\n"


def header(scope: Scope) -> str:
    f = facts(scope)
    what = f"ancestry of candidate {scope.focus.pk}" if scope.focus else f"run {scope.run.pk}"
    cost = "unknown" if f.cost is None else f"{f.cost} (price tables: {', '.join(f.price_tables) or 'none'})"
    return (
        rf"\section*{{Supplement: Seedtrace record of the {what}}}"
        + "\n"
        + items(
            *(
                rf"Run {run.pk}: {escape(run.title or run.family)}; engine {escape(run.engine)}, seed "
                rf"{escape(run.random_seed)}, code {escape(run.code_version or 'unrecorded')}"
                for run in scope.runs
            ),
            rf"Family: {escape(f.family)}; problems: {escape(', '.join(f.problems))}",
            rf"Engines: {escape(', '.join(f.engines))}",
            rf"Models: {escape('; '.join(f.models) or 'none')}",
            rf"Algorithms: {escape('; '.join(f.algorithms) or 'none')}",
            rf"Literature: {escape('; '.join(f.literature) or 'none')}",
            rf"People: {escape('; '.join(f.people) or 'none')}",
            rf"Counts: {f.candidates} candidates, {f.calls} LLM calls, {f.evaluations} evaluations "
            rf"({f.failed_evaluations} failed), {len(scope.edges)} edges, {len(scope.annotations)} notes",
            rf"Tokens: {f.input_tokens} in, {f.output_tokens} out; cost: {escape(cost)}",
            rf"Final program: candidate {scope.focus.pk}, hash \texttt{{{scope.focus.hash}}}"
            if scope.focus
            else "",
        )
    )


def chain_section(scope: Scope) -> str:
    out = [r"\subsection*{Ledger chain head}"]
    for head in heads(scope):
        out.append(rf"Chain \texttt{{{escape(head.chain)}}} at seq {head.seq}: \texttt{{{head.hash}}}")
        out.append(items(*(escape(step) for step in verify_steps(head, f"{scope.name}.jsonl"))))
    return "\n".join(out)


def candidate_step(scope: Scope, number: int, candidate: Candidate) -> str:
    agent = scope.agent(candidate.agent_id)
    parents = scope.parents(candidate)
    out = [
        rf"\subsubsection*{{Step {number}: candidate {candidate.pk} ({escape(candidate.activity)})}}",
        items(
            rf"Recorded {escape(candidate.recorded_at.isoformat())} in run {candidate.run_id}, "
            rf"seq {candidate.seq}, "
            rf"hash \texttt{{{candidate.hash}}}",
            rf"Agent: {escape(describe_agent(agent))} ({escape(agent.kind)})",
            "Parents: "
            + ", ".join(f"candidate {p.pk} ({escape(e.role)} {escape(e.slot)})" for e, p in parents)
            if parents
            else "",
            rf"Operator parameters: {escape(json.dumps(candidate.params, sort_keys=True))}"
            if candidate.params
            else "",
        ),
    ]
    call = scope.call_of(candidate)
    if call is not None:
        out.append(call_block(scope, call))
    out += [r"\paragraph{Program}", code(candidate.source, "python")]
    for edge, parent in parents:
        diff = unified_diff(
            parent.source, candidate.source, f"candidate {parent.pk}", f"candidate {candidate.pk}"
        )
        out += [
            rf"\paragraph{{Diff to candidate {parent.pk} ({escape(edge.role)})}}",
            code(diff or "(identical)", "diff"),
        ]
    evaluations = scope.evaluations_of(candidate)
    if evaluations:
        out.append(r"\paragraph{Scores}")
        out.append(
            items(
                *(
                    escape(
                        f"{e.problem}: {e.verdict}, score {e.score}, seeds {e.seeds}, "
                        f"equations {e.equations}, masters {e.masters}, unreduced {e.unreduced}, "
                        f"{e.seconds} s, solver {e.solver_version}, "
                        f"prime {e.prime}" + (f"; {e.failure}: {e.error}" if e.failure else "")
                    )
                    for e in evaluations
                )
            )
        )
    out += notes(scope, candidate, *evaluations)
    return "\n".join(out)


def call_block(scope: Scope, call: LLMCall) -> str:
    out = []
    prompt = scope.prompt_of(call)
    if prompt is not None:
        slots = ", ".join(f"{s['slot']} = candidate {s['candidate']}" for s in prompt.slots)
        out += [
            rf"\paragraph{{Prompt {prompt.pk}}} template {escape(prompt.template_name)} version "
            rf"{escape(prompt.template_version)}; slots: {escape(slots or 'none')}",
            code(prompt.text),
        ]
    out += [
        rf"\paragraph{{LLM call {call.pk}}} {escape(describe_agent(scope.agent(call.agent_id)))}, "
        rf"attempt {call.attempt}",
        items(
            "Request and response: "
            + escape(json.dumps(call.otel_attributes(), sort_keys=True, default=str)),
            "Other parameters: " + escape(json.dumps(call.params, sort_keys=True)) if call.params else "",
            escape(
                f"Latency {call.latency_seconds} s; cost {call.cost if call.cost is not None else 'unknown'} "
                f"{call.price_table}"
            ),
            escape(f"Error: {call.error_type} {call.error}") if call.failed else "",
        ),
        r"\paragraph{Raw model output}",
        code(call.response_text),
    ]
    out += notes(scope, *([prompt] if prompt else []), call)
    return "\n".join(out)


def notes(scope: Scope, *records) -> list[str]:
    out = []
    for record in records:
        for note in scope.notes_on(record):
            out += [
                rf"\paragraph{{Note on {escape(record._meta.verbose_name)} {record.pk}}} by "
                rf"{escape(author(note))}, {escape(note.recorded_at.isoformat())} "
                rf"(version {note.version})",
                code(note.body),
            ]
    return out
