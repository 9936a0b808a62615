"""One outline of an export, for every format that tells the steps: the results (the final rule, its
numbers beside the literature's, at how many primes and points each was reached, what was not checked), the
header facts, the chain heads with how to check them, a whole run's numbers, then every step in the order it
was recorded, each an ordered list of parts.

The outline decides what is said and in which order; a renderer (provenance.exports.transcript for
Markdown, provenance.exports.latex for LaTeX) subclasses Renderer and only formats each section and each
kind of part. The outline holds untrusted text as it was recorded: escaping it is the renderer's job.
"""

import json
from dataclasses import dataclass
from typing import ClassVar

from provenance.exports.facts import (
    Facts,
    Head,
    author,
    describe_agent,
    facts,
    heads,
    unified_diff,
    verify_steps,
)
from provenance.exports.results import Results, RunNumbers, results, run_numbers
from provenance.exports.scope import Scope, candidate_scope
from provenance.models import Agent, Candidate, Edge, Evaluation, LLMCall, Prompt, Record, Run


@dataclass(frozen=True)
class Header:
    subject: str  # "ancestry of candidate 7" or "run 1"
    runs: list[Run]
    facts: Facts
    problems: str
    named: list[tuple[str, str]]  # (label, value): engines, models, algorithms, literature, people
    counts: str  # how many records of each kind
    cost: str  # the total cost (or its known part, or "unknown") and its price tables
    focus: Candidate | None  # the final program of an ancestry; None for a whole run


@dataclass(frozen=True)
class Check:
    """A chain head and how a reader checks it."""

    head: Head
    steps: list[str]


class Part:
    """A piece of a step; a renderer formats it with its method of the same name as `kind`."""

    kind: ClassVar[str]

    def __init_subclass__(cls, kind: str, **rest):
        super().__init_subclass__(**rest)
        cls.kind = kind


@dataclass(frozen=True)
class Summary(Part, kind="summary"):
    """A candidate's own facts: when, who, what, from which parents, with which operator parameters."""

    candidate: Candidate
    agent: Agent
    agent_name: str
    parents: list[tuple[Edge, Candidate]]
    params: str  # the operator parameters as JSON; "" when there are none


@dataclass(frozen=True)
class PromptPart(Part, kind="prompt"):
    """The prompt an LLM call was sent."""

    prompt: Prompt


@dataclass(frozen=True)
class CallPart(Part, kind="call"):
    """An LLM call: its request and response, parameters, latency, cost, error and raw output."""

    call: LLMCall
    agent_name: str
    request: str  # the OpenTelemetry attributes of the request and response, as JSON
    params: str  # the other request parameters as JSON; "" when there are none
    cost: str  # the cost, or "unknown"


@dataclass(frozen=True)
class ProgramPart(Part, kind="program"):
    """A candidate's program."""

    source: str


@dataclass(frozen=True)
class DiffPart(Part, kind="diff"):
    """A candidate's program against one parent's."""

    edge: Edge
    parent: Candidate
    text: str  # a unified diff from the parent's program, or "(identical)\n"


@dataclass(frozen=True)
class ScoresPart(Part, kind="scores"):
    """A candidate's evaluations, one a problem."""

    evaluations: list[Evaluation]


@dataclass(frozen=True)
class NotePart(Part, kind="note"):
    """One version of a note on a record of the step."""

    about: str  # the kind of record the note is on ("candidate", "LLM call", …)
    pk: int  # the id of that record
    author: str
    note: object  # the Annotation


@dataclass(frozen=True)
class ExportStep:
    number: int
    candidate: Candidate | None  # None: an LLM call that produced no program
    call: LLMCall | None
    parts: list[Part]

    def title(self, value) -> str:
        """The step's heading; `value` escapes an untrusted string for the format."""
        if self.candidate is None:
            return f"Step {self.number}: LLM call {self.call.pk}, which produced no program"
        return f"Step {self.number}: candidate {self.candidate.pk} ({value(self.candidate.activity)})"


@dataclass(frozen=True)
class Outline:
    results: Results
    header: Header
    checks: list[Check]
    numbers: RunNumbers | None  # a whole run's; None for an ancestry
    told: Candidate | None  # whose ancestry the steps tell, where a whole run's tell only that
    steps: list[ExportStep]

    @property
    def steps_heading(self) -> str:
        told = f" of candidate {self.told.pk}'s ancestry" if self.told is not None else ""
        return f"Steps{told}, in the order they were recorded"

    def steps_told(self, command) -> str:
        """Which steps a whole run's export tells; `command` formats a shell command for the format."""
        if self.told is None:
            return "The steps below tell every one of them."
        archive = command(f"manage.py export --run {self.header.runs[0].pk} --format jsonl")
        return (f"The steps below tell only candidate {self.told.pk}'s ancestry; every record of the run is "
                f"in the JSONL archive and the RO-Crate ({archive}).")


class Renderer:
    """Formats an Outline: a subclass has one method per kind of part (Summary, kind "summary": summary)."""

    def parts(self, step: ExportStep) -> list[str]:
        return [getattr(self, part.kind)(part) for part in step.parts]


def build(scope: Scope, final_ancestry: bool = False) -> Outline:
    """The outline of `scope`. With `final_ancestry`, a whole run's steps are only its best candidate's
    ancestry (the LaTeX supplement: 4,000 pages of every candidate help no reader, and the JSONL archive
    and the crate hold them); its numbers say so."""
    archive, partial = f"{scope.name}.jsonl", not scope.whole_run
    checks = [Check(h, verify_steps(h, archive, partial=partial)) for h in heads(scope)]
    final = results(scope)
    told = final.candidate if final_ancestry and scope.whole_run else None
    numbers = run_numbers(scope) if scope.whole_run else None
    told_steps = steps(candidate_scope(told) if told is not None else scope)
    return Outline(final, header(scope), checks, numbers, told, told_steps)


def _held_out(scope: Scope) -> str:
    held = sorted({p for run in scope.runs for p in (run.config or {}).get("held_out") or ()})
    return f"; held out (never trained on): {', '.join(held)}" if held else ""


def _objective(scope: Scope) -> str:
    """What scored the runs (evolution.objective; a run from before objectives was scored by seeds)."""
    return "; ".join(sorted({str((run.config or {}).get("objective") or "seeds") for run in scope.runs}))


def header(scope: Scope) -> Header:
    f = facts(scope)
    return Header(
        subject=f"ancestry of candidate {scope.focus.pk}" if scope.focus else f"run {scope.run.pk}",
        runs=scope.runs,
        facts=f,
        problems=", ".join(f.problems) + _held_out(scope),
        named=[
            ("Engines", ", ".join(f.engines)),
            ("Objective", _objective(scope)),
            ("Models", "; ".join(f.models) or "none"),
            ("Algorithms", "; ".join(f.algorithms) or "none"),
            ("Literature", "; ".join(f.literature) or "none"),
            ("People", "; ".join(f.people) or "none"),
        ],
        counts=f"{f.candidates} candidates, {f.calls} LLM calls, {f.evaluations} evaluations "
        f"({f.failed_evaluations} failed), {len(scope.edges)} edges, {len(scope.annotations)} notes",
        cost=cost(f),
        focus=scope.focus,
    )


def cost(f: Facts) -> str:
    return f"{f.cost.text()} (price tables: {', '.join(f.price_tables) or 'none'})"


def steps(scope: Scope) -> list[ExportStep]:
    """Every candidate, and every LLM call that produced none, run by run in the order they were recorded."""
    produced = {c.llm_call_id for c in scope.candidates}
    order = {run.pk: i for i, run in enumerate(scope.runs)}
    records = sorted(
        [*scope.candidates, *(call for call in scope.calls if call.pk not in produced)],
        key=lambda r: (order[r.run_id], r.seq),
    )
    return [step(scope, number, record) for number, record in enumerate(records, 1)]


def step(scope: Scope, number: int, record: Candidate | LLMCall) -> ExportStep:
    if isinstance(record, Candidate):
        return ExportStep(number, record, scope.call_of(record), candidate_parts(scope, record))
    return ExportStep(number, None, record, call_parts(scope, record))


def candidate_parts(scope: Scope, candidate: Candidate) -> list[Part]:
    """The summary, the call that wrote it, the program, its diffs, its scores, the notes on it and them."""
    agent, parents = scope.agent(candidate.agent_id), scope.parents(candidate)
    call, evaluations = scope.call_of(candidate), scope.evaluations_of(candidate)
    return [
        Summary(candidate, agent, describe_agent(agent), parents, as_json(candidate.params)),
        *(call_parts(scope, call) if call is not None else []),
        ProgramPart(candidate.source),
        *(diff(edge, parent, candidate) for edge, parent in parents),
        *([ScoresPart(evaluations)] if evaluations else []),
        *notes(scope, candidate, *evaluations),
    ]


def call_parts(scope: Scope, call: LLMCall) -> list[Part]:
    """The prompt (if the call had one), the call and its raw output, the notes on the prompt and the call."""
    prompt = scope.prompt_of(call)
    shown = [prompt] if prompt is not None else []
    return [
        *(PromptPart(p) for p in shown),
        CallPart(
            call,
            describe_agent(scope.agent(call.agent_id)),
            json.dumps(call.otel_attributes(), sort_keys=True, default=str),
            as_json(call.params),
            "unknown" if call.cost is None else str(call.cost),
        ),
        *notes(scope, *shown, call),
    ]


def diff(edge: Edge, parent: Candidate, candidate: Candidate) -> DiffPart:
    old, new = f"candidate {parent.pk}", f"candidate {candidate.pk}"
    return DiffPart(edge, parent, unified_diff(parent.source, candidate.source, old, new) or "(identical)\n")


def notes(scope: Scope, *records: Record) -> list[NotePart]:
    return [
        NotePart(str(record._meta.verbose_name), record.pk, author(note), note)
        for record in records
        for note in scope.notes_on(record)
    ]


def as_json(params: dict) -> str:
    return json.dumps(params, sort_keys=True) if params else ""
