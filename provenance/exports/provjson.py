"""PROV-JSON (W3C PROV, via the `prov` package), mapped as shared/design/RECORDS.md says.

Entities: prompts, completions (a call's raw output), programs, evaluation results. Activities: LLM calls,
the activity that produced each program (operator application, literature, a person's edit), evaluations.
Agents: people, models, algorithms, literature, and the run's engine. A program wasGeneratedBy its activity
and wasDerivedFrom its parents (and its completion); a call used its prompt; a model actedOnBehalfOf the run's
engine, which (like every algorithm) actedOnBehalfOf the person who started the run. Identifiers are record
hashes, so they are the same in every database. `wasEndedBy` is never emitted (the official schema spells it
`wasEndedby`).
"""

import json

from prov.model import ProvDocument

from provenance.exports import Export
from provenance.exports.scope import Scope
from provenance.exports.text import author, describe_agent, heads, one_line, person, verify_steps
from provenance.models import Agent, Candidate

NAMESPACE = "urn:seedtrace:"


def render(scope: Scope) -> Export:
    text = document(scope).serialize(format="json")  # no indent: json then uses its C encoder
    return Export(text.encode("utf-8"), f"{scope.name}.prov.json", "application/json")


def document(scope: Scope) -> ProvDocument:
    doc = ProvDocument()
    doc.add_namespace("st", NAMESPACE)
    agents, users = {}, {}
    for agent in scope.agents:
        agents[agent.pk] = _agent(doc, agent)
    for run in scope.runs:
        engine = doc.agent(
            f"st:engine-{run.hash}",
            {
                "prov:type": "prov:SoftwareAgent",
                "prov:label": one_line(f"Seedtrace {run.engine} engine, run {run.pk}"),
                "st:code_version": run.code_version,
                "st:random_seed": str(run.random_seed),
            },
        )
        starter = None
        if run.started_by is not None:
            starter = _user(doc, run.started_by, users)
            doc.actedOnBehalfOf(engine, starter)
        for agent in scope.agents:
            if agent.kind == Agent.Kind.MODEL:
                doc.actedOnBehalfOf(agents[agent.pk], engine)
            elif agent.kind == Agent.Kind.ALGORITHM and starter is not None:
                doc.actedOnBehalfOf(agents[agent.pk], starter)
    for head in heads(scope):
        doc.entity(
            f"st:chain-{head.chain.replace(':', '-')}",
            {
                "prov:label": f"ledger chain head of {head.chain}",
                "st:seq": head.seq,
                "st:hash": head.hash,
                "st:verify": " ".join(verify_steps(head, f"{scope.name}.jsonl")),
            },
        )
    prompts = {}
    for call in scope.calls:
        activity = doc.activity(
            f"st:llmcall-{call.hash}",
            None,
            call.recorded_at,
            {
                "prov:type": "st:LLMCall",
                "prov:label": one_line(f"LLM call {call.pk}"),
                "st:otel_attributes": json.dumps(call.otel_attributes(), sort_keys=True, default=str),
                "st:hash": call.hash,
            },
        )
        doc.wasAssociatedWith(activity, agents[call.agent_id])
        prompt = scope.prompt_of(call)
        if prompt is not None:
            if prompt.pk not in prompts:
                prompts[prompt.pk] = doc.entity(
                    f"st:prompt-{prompt.hash}",
                    {
                        "prov:type": "st:Prompt",
                        "prov:value": prompt.text,
                        "st:hash": prompt.hash,
                        "st:template": one_line(f"{prompt.template_name} {prompt.template_version}"),
                    },
                )
            doc.used(activity, prompts[prompt.pk])
        completion = doc.entity(
            f"st:completion-{call.hash}",
            {
                "prov:type": "st:Completion",
                "prov:value": call.response_text,
            },
        )
        doc.wasGeneratedBy(completion, activity, call.recorded_at)
    programs = {}
    for candidate in scope.candidates:
        programs[candidate.pk] = program = doc.entity(
            f"st:candidate-{candidate.hash}",
            {
                "prov:type": "st:Program",
                "prov:label": f"candidate {candidate.pk}",
                "prov:value": candidate.source,
                "st:hash": candidate.hash,
                "st:source_sha256": candidate.source_sha256,
            },
        )
        made_by = _producer(doc, scope, candidate, agents)
        doc.wasGeneratedBy(program, made_by, candidate.recorded_at)
        if candidate.llm_call_id is not None:
            doc.wasDerivedFrom(program, f"st:completion-{scope.call_of(candidate).hash}", made_by)
    for candidate in scope.candidates:
        for edge, parent in scope.parents(candidate):
            made_by = (
                f"st:llmcall-{scope.call_of(candidate).hash}"
                if candidate.llm_call_id
                else f"st:activity-{candidate.hash}"
            )
            doc.used(
                made_by, programs[parent.pk], None, f"st:use-{edge.hash}", {"prov:role": f"st:{edge.role}"}
            )
            doc.wasDerivedFrom(
                programs[candidate.pk],
                programs[parent.pk],
                made_by,
                None,
                None,
                f"st:edge-{edge.hash}",
                {"prov:type": f"st:{edge.role}", "st:slot": edge.slot},
            )
    for evaluation in scope.evaluations:
        activity = doc.activity(
            f"st:evaluation-{evaluation.hash}",
            None,
            evaluation.recorded_at,
            {
                "prov:type": "st:Evaluation",
                "st:problem": one_line(evaluation.problem),
                "st:solver_version": evaluation.solver_version,
                **({"st:prime": str(evaluation.prime)} if evaluation.prime is not None else {}),
            },
        )
        doc.used(activity, programs[evaluation.candidate_id])
        result = doc.entity(
            f"st:result-{evaluation.hash}",
            {
                "prov:type": "st:EvaluationResult",
                "st:verdict": evaluation.verdict,
                "st:hash": evaluation.hash,
                **{
                    f"st:{name}": getattr(evaluation, name)
                    for name in ("score", "seeds", "masters", "unreduced")
                    if getattr(evaluation, name) is not None
                },
                **(
                    {"st:failure": evaluation.failure, "st:error": evaluation.error}
                    if evaluation.failure
                    else {}
                ),
            },
        )
        doc.wasGeneratedBy(result, activity, evaluation.recorded_at)
    for note in scope.annotations:
        attributes = {"prov:type": "st:Annotation", "prov:value": note.body, "st:version": note.version}
        if note.author_id is None:  # an imported note: its author is a name, not an account of this server
            attributes["st:author"] = author(note)
        entity = doc.entity(f"st:annotation-{note.hash}", attributes)
        if note.author_id is not None:
            doc.wasAttributedTo(entity, _user(doc, note.author, users))
    return doc


def _user(doc: ProvDocument, user, users: dict):
    """A user account as a prov:Person (person agents are records of their own; this is the account)."""
    if user.pk not in users:
        users[user.pk] = doc.agent(
            f"st:user-{user.pk}", {"prov:type": "prov:Person", "prov:label": person(user)}
        )
    return users[user.pk]


def _agent(doc: ProvDocument, agent: Agent):
    attributes = {
        "prov:type": agent.prov_type,
        "prov:label": describe_agent(agent),
        "st:kind": agent.kind,
        "st:hash": agent.hash,
    }
    if agent.kind == Agent.Kind.MODEL:
        attributes.update(
            {
                "st:provider": agent.provider,
                "st:model": agent.model,
                "st:version": agent.version,
                "st:params": json.dumps(agent.params, sort_keys=True),
            }
        )
    elif agent.kind == Agent.Kind.ALGORITHM:
        attributes.update(
            {"st:engine": agent.engine, "st:operator": agent.operator, "st:version": agent.version}
        )
    elif agent.kind == Agent.Kind.LITERATURE:
        attributes.update({"st:citation": agent.citation, "st:identifier": agent.identifier})
    return doc.agent(f"st:agent-{agent.hash}", attributes)


def _producer(doc: ProvDocument, scope: Scope, candidate: Candidate, agents: dict):
    """The activity that produced the program: its LLM call, or an activity of its own."""
    if candidate.llm_call_id is not None:
        return f"st:llmcall-{scope.call_of(candidate).hash}"
    activity = doc.activity(
        f"st:activity-{candidate.hash}",
        None,
        candidate.recorded_at,
        {
            "prov:type": f"st:{candidate.activity}",
            "st:params": json.dumps(candidate.params, sort_keys=True),
        },
    )
    doc.wasAssociatedWith(activity, agents[candidate.agent_id])
    return activity
