"""The only place that creates records.

Each function checks the link rules (provenance.links), then appends its records to their hash chain
(provenance.chain) inside one transaction that holds the chain's lock: a refused record raises a RecordError
and leaves nothing behind. `batch(run)` holds a run's chain across many calls (one transaction, one lock).

`archived=` (import only, provenance.exports.loader): what the record was in the archive it was re-recorded
from; it is part of the record's content, so of its hash.
"""

from collections.abc import Iterable, Sequence

from provenance.canonical import ast_hash, digest, sha256_hex
from provenance.chain import RECORD_TYPES, Hashes, appending, chain_name
from provenance.errors import LinkError, RecordError
from provenance.links import (
    check_candidate,
    check_choice,
    check_edge,
    check_evaluation,
    check_llm_call,
    check_no_secrets,
    check_parents,
    check_same_run,
)
from provenance.membership import reference, run_of, target_of
from provenance.models import (
    Activity,
    Agent,
    Annotation,
    AnnotationHead,
    Candidate,
    ChainHead,
    Edge,
    Evaluation,
    LLMCall,
    Prompt,
    Record,
    Run,
    RunEvent,
)

# (parent, role) or (parent, role, slot)
Parent = tuple[Candidate, str] | tuple[Candidate, str, str]
# a candidate (slots named v0, v1, … in order) or (slot, candidate)
Slot = Candidate | tuple[str, Candidate]
# A person agent is a user account of this server, or a name an import brought (identifier "imported:…").
IMPORTED = "imported:"


def batch(run: Run | None = None, *, alone: bool = False, guard=None):
    """`with batch(run):` — every record of `run` written inside is one transaction under one lock (`alone`
    and `guard`: see provenance.chain.appending)."""
    return appending(chain_name(run.pk if run is not None else None), alone=alone, guard=guard)


# Agents ----------------------------------------------------------------------------------------------


def record_agent(
    kind: str,
    name: str,
    *,
    user=None,
    provider: str = "",
    model: str = "",
    engine: str = "",
    operator: str = "",
    version: str = "",
    params: dict | None = None,
    citation: str = "",
    identifier: str = "",
) -> Agent:
    """The agent with exactly this description, created on the global chain the first time it is asked for."""
    check_choice(kind, Agent.Kind, "agent kind")
    imported_name = kind == Agent.Kind.PERSON and user is None and identifier.startswith(IMPORTED)
    if (kind == Agent.Kind.PERSON) != (user is not None) and not imported_name:
        raise LinkError("a person agent is a user account (or an imported name), and only a person agent is")
    params = params or {}
    check_no_secrets(params, "params")
    describing = dict(
        kind=kind,
        name=name,
        user=user.pk if user else None,
        provider=provider,
        model=model,
        engine=engine,
        operator=operator,
        version=version,
        params=params,
        citation=citation,
        identifier=identifier,
    )
    identity = digest(describing)
    agent = Agent.objects.filter(identity=identity).first()
    if agent is not None:
        return agent
    with appending(ChainHead.GLOBAL) as chain:
        agent = Agent.objects.filter(identity=identity).first()  # another writer was first
        if agent is None:
            agent = Agent(**{**describing, "user": user}, identity=identity)
            chain.append(agent)
    return agent


def person_agent(user) -> Agent:
    return record_agent(Agent.Kind.PERSON, user.get_full_name() or user.get_username(), user=user)


def imported_person_agent(name: str, username: str) -> Agent:
    """A person of another server, known here by name only: no account of this server acts for them."""
    return record_agent(Agent.Kind.PERSON, name[:200], identifier=f"{IMPORTED}{username}"[:200])


def model_agent(provider: str, model: str, *, version: str = "", params: dict | None = None) -> Agent:
    return record_agent(
        Agent.Kind.MODEL, model, provider=provider, model=model, version=version, params=params
    )


def algorithm_agent(engine: str, operator: str, *, version: str = "", params: dict | None = None) -> Agent:
    return record_agent(
        Agent.Kind.ALGORITHM,
        f"{engine} {operator}",
        engine=engine,
        operator=operator,
        version=version,
        params=params,
    )


def literature_agent(name: str, citation: str, identifier: str = "") -> Agent:
    return record_agent(Agent.Kind.LITERATURE, name, citation=citation, identifier=identifier)


# Runs ------------------------------------------------------------------------------------------------


def start_run(
    project,
    *,
    family: str,
    problems: Sequence[str],
    engine: str,
    config: dict | None = None,
    random_seed: int | None = None,
    code_version: str = "",
    started_by=None,
    title: str = "",
    archived: dict | None = None,
) -> Run:
    """A new run on the global chain, with its own chain (whose first link is the run's hash). Only the
    record: the room that runs it keeps its state (evolution.runs.start_run writes both)."""
    config = config or {}
    check_no_secrets(config, "config")
    if not problems or not all(isinstance(problem, str) and problem for problem in problems):
        raise RecordError("a run names at least one problem")
    with appending(ChainHead.GLOBAL) as chain:
        run = Run(
            project=project,
            family=family,
            problems=list(problems),
            engine=engine,
            config=config,
            random_seed=random_seed,
            code_version=code_version,
            started_by=started_by,
            title=title,
            archived=archived,
        )
        chain.append(run)
        chain.write()  # the run's id names its chain
        ChainHead.objects.create(name=chain_name(run.pk), seq=0, hash=run.hash)
    return run


# One step of an evolution ----------------------------------------------------------------------------


def record_prompt(
    run: Run, *, template_name: str, template_version: str, text: str, slots: Sequence[Slot] = (),
    archived: dict | None = None,
) -> Prompt:
    filled = _slots(slots)
    for _, candidate in filled:
        check_same_run(run, candidate, "candidate")
    prompt = Prompt(
        run=run,
        template_name=template_name,
        template_version=template_version,
        text=text,
        slots=[{"slot": slot, "candidate": candidate.pk} for slot, candidate in filled],
        archived=archived,
    )
    with batch(run) as chain:
        chain.append(prompt, hashes=Hashes(candidate for _, candidate in filled))
    return prompt


CHAIN_FIELDS = {"id", "seq", "prev_hash", "hash", "recorded_at"}
LLM_CALL_FIELDS = {f.name for f in LLMCall._meta.concrete_fields} - CHAIN_FIELDS - {"run", "prompt", "agent"}


def record_llm_call(run: Run, *, agent: Agent, prompt: Prompt | None = None, **fields) -> LLMCall:
    """One request and its response, failed or not. `fields` are LLMCall's columns (request_model defaults
    to the agent's model); credentials never belong in `params`."""
    _known(fields, LLM_CALL_FIELDS, "LLM call")
    fields.setdefault("request_model", agent.model)
    check_llm_call(run, agent, prompt, fields)
    call = LLMCall(run=run, agent=agent, prompt=prompt, **fields)
    with batch(run) as chain:
        chain.append(call)
    return call


def record_candidate(
    run: Run,
    *,
    source: str,
    activity: str,
    agent: Agent | None = None,
    llm_call: LLMCall | None = None,
    parents: Iterable[Parent] = (),
    params: dict | None = None,
    island: int | None = None,
    archived: dict | None = None,
) -> Candidate:
    """A program, the one activity that produced it, and the edges from its parents (same transaction)."""
    if agent is None and llm_call is not None:
        agent = llm_call.agent
    if agent is None:
        raise LinkError("a candidate needs the agent that produced it")
    if not isinstance(source, str) or not source.strip():
        raise RecordError("a candidate has a program source")
    params = params or {}
    check_no_secrets(params, "params")
    check_candidate(run, agent, activity, llm_call)
    parents = [(parent, role, rest[0] if rest else "") for parent, role, *rest in parents]
    check_parents(run, parents, activity)
    candidate = Candidate(
        run=run,
        source=source,
        source_sha256=sha256_hex(source),
        ast_hash=ast_hash(source),
        agent=agent,
        activity=activity,
        llm_call=llm_call,
        params=params,
        island=island,
        archived=archived,
    )
    with batch(run) as chain:
        chain.append(candidate)
        if parents:
            edges = [
                Edge(run=run, child=candidate, parent=parent, role=role, slot=slot, activity=activity)
                for parent, role, slot in parents
            ]
            chain.append(*edges)
    return candidate


def record_edge(
    child: Candidate, parent: Candidate, role: str, *, slot: str = "", activity: str | None = None,
    archived: dict | None = None,
) -> Edge:
    """An edge between existing candidates (migration, reset founder, a later-found inspiration, …)."""
    activity = activity or child.activity
    check_choice(activity, Activity, "activity")
    with batch(child.run) as chain:
        check_edge(
            child, parent, role, slot, activity
        )  # under the chain's lock: no concurrent edge can slip a cycle in
        edge = Edge(run=child.run, child=child, parent=parent, role=role, slot=slot, activity=activity)
        edge.archived = archived
        chain.append(edge)
    return edge


EVALUATION_FIELDS = {f.name for f in Evaluation._meta.concrete_fields} - CHAIN_FIELDS - {"run", "candidate"}


def record_evaluation(candidate: Candidate, **fields) -> Evaluation:
    """One candidate scored on one problem — or the reason it could not be (verdict "failed" + failure)."""
    _known(fields, EVALUATION_FIELDS, "evaluation")
    check_evaluation(fields)
    check_no_secrets(fields.get("details", {}), "details")
    evaluation = Evaluation(run=candidate.run, candidate=candidate, **fields)
    with batch(candidate.run) as chain:
        chain.append(evaluation)
    return evaluation


def record_events(
    run: Run, events: Iterable[tuple[str, dict, Candidate | None]], *, archived: dict | None = None
) -> list[RunEvent]:
    """Search events (island choices, samples, registrations, resets) as (kind, payload, candidate)."""
    recorded = []
    for kind, payload, candidate in events:
        if not isinstance(kind, str) or not kind:
            raise RecordError("a run event has a kind")
        check_no_secrets(payload, "payload")
        if candidate is not None:
            check_same_run(run, candidate, "candidate")
        recorded.append(RunEvent(run=run, kind=kind, payload=payload, candidate=candidate, archived=archived))
    if recorded:
        with batch(run) as chain:
            chain.append(*recorded)
    return recorded


# Annotations -----------------------------------------------------------------------------------------


def annotate(
    target: Record, body: str, author, *, previous: Annotation | None = None, archived: dict | None = None
) -> Annotation:
    """A note on any record; to edit a note, annotate again with previous= its current version. `author`
    is a user; None only for an imported note, whose archived["author"] names its author."""
    kind, target_id = reference(target)
    if kind not in RECORD_TYPES or kind == "annotation" or target.pk is None:
        raise RecordError(
            "annotations are notes on stored records (agents, runs, prompts, calls, candidates, …)"
        )
    if not isinstance(body, str) or not body.strip():
        raise RecordError("an annotation has a body")
    if author is None and not (archived or {}).get("author"):
        raise RecordError("an annotation has an author")
    run_id = run_of(target)
    with appending(chain_name(run_id)) as chain:
        version = 1
        if previous is not None:
            if target_of(previous) != (kind, target_id):
                raise LinkError(f"annotation {previous.pk} is a note on another record")
            head = AnnotationHead.objects.filter(current=previous).first()
            if head is None:
                raise LinkError(
                    f"annotation {previous.pk} is not the current version: it was edited meanwhile"
                )
            version = previous.version + 1
        note = Annotation(
            run_id=run_id,
            target_type=kind,
            target_id=target.pk,
            body=body,
            author=author,
            version=version,
            previous=previous,
            archived=archived,
        )
        chain.append(note, hashes=Hashes([target]))
        chain.write()  # the head row refers to it
        if previous is None:
            AnnotationHead.objects.create(first=note, current=note, target_type=kind, target_id=target.pk)
        else:
            head.current = note
            head.save(update_fields=["current", "updated_at"])
    return note


def _slots(slots: Sequence[Slot]) -> list[tuple[str, Candidate]]:
    return [item if isinstance(item, tuple) else (f"v{i}", item) for i, item in enumerate(slots)]


def _known(fields: dict, allowed: set[str], what: str) -> None:
    unknown = sorted(set(fields) - allowed)
    if unknown:
        raise RecordError(f"unknown {what} field(s): {', '.join(unknown)}")
