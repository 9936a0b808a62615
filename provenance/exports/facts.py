"""The facts every format states alike: the header facts, who acted, the chain heads and how to check them,
diffs; untrusted text in them with its control characters made visible."""

import difflib
from dataclasses import dataclass

from provenance.costs import Spent
from provenance.exports.scope import Scope
from provenance.membership import chain_name
from provenance.models import Agent
from provenance.spelling import spelled

# Control characters shown as Unicode's control pictures (ESC as ␛); C1 controls, line/paragraph separators
# and bidirectional overrides ("Trojan Source") as <U+XXXX>: a terminal or viewer shows them, not obeys them.
VISIBLE = {
    **{c: chr(0x2400 + c) for c in range(0x20) if c not in (0x09, 0x0A)},
    0x7F: "\u2421",
    **{
        c: f"<U+{c:04X}>"
        for c in [*range(0x80, 0xA0), 0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
    },
}


def visible(text: str) -> str:
    """Untrusted text with every control character made visible (newlines and tabs kept)."""
    return str(text).translate(VISIBLE)


def one_line(value) -> str:
    """A short untrusted string on one line: controls made visible, whitespace runs folded."""
    return " ".join(visible(value).split())


def unified_diff(old: str, new: str, old_name: str, new_name: str) -> str:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), old_name, new_name
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )


@dataclass
class Facts:
    family: str
    problems: list[str]
    engines: list[str]
    models: list[str]  # "provider model version" of every model agent that acted
    algorithms: list[str]
    literature: list[str]
    people: list[str]
    candidates: int
    calls: int
    evaluations: int
    failed_evaluations: int
    input_tokens: int
    output_tokens: int
    cost: Spent  # the known part, and how many calls' cost is unknown
    price_tables: list[str]
    solver_versions: list[str]
    primes: list[int]


def facts(scope: Scope) -> Facts:
    runs = scope.runs
    by_kind: dict[str, list[str]] = {}
    for agent in scope.agents:
        by_kind.setdefault(agent.kind, []).append(describe_agent(agent))
    people = [describe_agent(a) for a in scope.agents if a.kind == Agent.Kind.PERSON]
    for run in runs:
        if run.started_by is not None:
            people.append(person(run.started_by))
    for note in scope.annotations:
        people.append(author(note))
    return Facts(
        family=", ".join(sorted({run.family for run in runs})),
        problems=sorted({p for run in runs for p in run.problems}),
        engines=sorted({run.engine for run in runs}),
        models=by_kind.get(Agent.Kind.MODEL, []),
        algorithms=by_kind.get(Agent.Kind.ALGORITHM, []),
        literature=by_kind.get(Agent.Kind.LITERATURE, []),
        people=list(dict.fromkeys(people)),
        candidates=len(scope.candidates),
        calls=len(scope.calls),
        evaluations=len(scope.evaluations),
        failed_evaluations=sum(1 for e in scope.evaluations if e.verdict == "failed"),
        input_tokens=sum(call.usage_input_tokens or 0 for call in scope.calls),
        output_tokens=sum(call.usage_output_tokens or 0 for call in scope.calls),
        cost=Spent.of_calls(scope.calls),
        price_tables=sorted({call.price_table for call in scope.calls if call.price_table}),
        solver_versions=sorted({e.solver_version for e in scope.evaluations if e.solver_version}),
        primes=sorted({e.prime for e in scope.evaluations if e.prime is not None} | {
            check["prime"] for e in scope.evaluations for check in (e.details or {}).get("checks", [])
        }),
    )


def describe_agent(agent: Agent) -> str:
    if agent.kind == Agent.Kind.MODEL:
        parts = [spelled(agent.provider), agent.model, f"version {agent.version}" if agent.version else ""]
    elif agent.kind == Agent.Kind.ALGORITHM:
        parts = [spelled(agent.engine), agent.operator, f"version {agent.version}" if agent.version else ""]
    elif agent.kind == Agent.Kind.LITERATURE:
        parts = [agent.name + ":", agent.citation, f"({agent.identifier})" if agent.identifier else ""]
    else:
        parts = [agent.name]
    return one_line(" ".join(part for part in parts if part))


def person(user) -> str:
    return one_line(user.get_full_name() or user.get_username())


def author(note) -> str:
    """A note's author: the account's name, or the name an import recorded for an imported note."""
    return one_line(note.author_name)


@dataclass
class Head:
    chain: str
    seq: int
    hash: str
    run: int


def heads(scope: Scope) -> list[Head]:
    run_of_chain = {chain_name(run.pk): run.pk for run in scope.runs}
    return [Head(h.name, h.seq, h.hash, run_of_chain[h.name]) for h in scope.heads]


def verify_steps(head: Head, archive: str = "ARCHIVE.jsonl", *, partial: bool = False) -> list[str]:
    """How a reader checks a chain head: in the database it came from, or from the JSONL archive. Of a
    partial chain (a candidate's ancestry) the archive proves each record and the links it holds, not the
    head: that needs the database or the whole run's archive."""
    steps = [
        f"In the Seedtrace database this came from: `manage.py verify --run {head.run}` must print "
        f"chain {head.chain} at seq {head.seq} (or later) with this hash at that seq.",
        f"From the archive: `manage.py import {archive} --project P --user U` recomputes every record's "
        "SHA-256 and checks every link between them before it records the archive as a new run, which "
        "`manage.py verify --run` (the run the import prints) then checks.",
        "Each record's hash is the SHA-256 of the canonical JSON of its columns (references to other "
        "records as their hashes) and the previous record's hash: changing any record changes the head.",
    ]
    if partial:
        steps.append(
            f"This archive holds the ancestry of one candidate, a part of run {head.run}'s chain: it proves "
            "each record it holds and the links between neighbours it holds; that they lead to the head "
            f"above is checked in the database or with the run's whole archive (`manage.py export --run "
            f"{head.run} --format jsonl`)."
        )
    return steps
