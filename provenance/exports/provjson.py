"""PROV-JSON (W3C PROV, via the `prov` package).

Entities: prompts, completions (a call's raw output), programs, evaluation results, notes and the chain
heads. Activities: LLM calls, the activity that produced each program (operator application, literature, a
person's edit), evaluations. Agents: people, models, algorithms, literature, and the run's engine. A program
wasGeneratedBy its activity and wasDerivedFrom its parents (and its completion); a call used its prompt; a
model actedOnBehalfOf the run's engine, which (like every algorithm) actedOnBehalfOf the person who started
the run. Identifiers are record hashes, so they are the same in every database. `wasEndedBy` is never emitted
(the official schema spells it `wasEndedby`).

A whole run scored by a Pareto objective also has its front (provenance.exports.front): a collection whose
members are the front's programs, with each point's totals.

The results that open every export (provenance.exports.results) are a collection derived from the final
program, with a member a problem: derived from that problem's evaluation result by the evaluation, carrying
its seeds and equations, at how many primes and points its verdict was reached, and the Laporta and Kira-3
numbers beside (computed by the solver for the export, attributes rather than records).
"""

import json

from prov.model import ProvDocument

from provenance.exports import Export
from provenance.exports.facts import author, describe_agent, heads, one_line, person, verify_steps
from provenance.exports.front import RunFront, point_text, run_front
from provenance.exports.results import Results, Row, results
from provenance.exports.scope import Scope
from provenance.models import Agent, Candidate, Edge, Evaluation, LLMCall

NAMESPACE = "urn:seedtrace:"


def render(scope: Scope) -> Export:
    text = document(scope).serialize(format="json")  # no indent: json then uses its C encoder
    return Export(text.encode("utf-8"), f"{scope.name}.prov.json", "application/json")


def document(scope: Scope) -> ProvDocument:
    """The scope's PROV document. The records go in in this order, which is their order in the file."""
    prov = _Prov(scope)
    prov.agents()
    prov.engines()
    prov.chain_heads()
    prov.llm_calls()
    prov.programs()
    prov.derivations()
    prov.evaluations()
    prov.results(results(scope))
    if scope.whole_run:
        prov.front(run_front(scope))
    prov.annotations()
    return prov.doc


class _Prov:
    """Builds the document one PROV concept at a time, remembering what it has added to refer to it."""

    def __init__(self, scope: Scope):
        self.scope, self.doc = scope, ProvDocument()
        self.doc.add_namespace("st", NAMESPACE)
        self.agent_of, self.user_of, self.prompt_of, self.program_of = {}, {}, {}, {}

    def agents(self) -> None:
        """Every agent that acted: people, models, algorithms, literature."""
        for agent in self.scope.agents:
            self.agent_of[agent.pk] = self.doc.agent(f"st:agent-{agent.hash}", agent_attributes(agent))

    def engines(self) -> None:
        """Each run's engine, on behalf of the person who started the run (when one did)."""
        for run in self.scope.runs:
            engine = self.doc.agent(
                f"st:engine-{run.hash}",
                {
                    "prov:type": "prov:SoftwareAgent",
                    "prov:label": one_line(f"Seedtrace {run.engine} engine, run {run.pk}"),
                    "st:code_version": run.code_version,
                    "st:random_seed": str(run.random_seed),
                },
            )
            starter = None if run.started_by is None else self.user(run.started_by)
            if starter is not None:
                self.doc.actedOnBehalfOf(engine, starter)
            self.delegations(engine, starter)

    def delegations(self, engine, starter) -> None:
        """Models act on behalf of the engine; algorithms on behalf of the person who started the run."""
        for agent in self.scope.agents:
            if agent.kind == Agent.Kind.MODEL:
                self.doc.actedOnBehalfOf(self.agent_of[agent.pk], engine)
            elif agent.kind == Agent.Kind.ALGORITHM and starter is not None:
                self.doc.actedOnBehalfOf(self.agent_of[agent.pk], starter)

    def user(self, user):
        """A user account as a prov:Person (person agents are records of their own; this is the account)."""
        if user.pk not in self.user_of:
            self.user_of[user.pk] = self.doc.agent(
                f"st:user-{user.pk}", {"prov:type": "prov:Person", "prov:label": person(user)}
            )
        return self.user_of[user.pk]

    def chain_heads(self) -> None:
        """Each chain head as an entity, with how a reader checks it."""
        for head in heads(self.scope):
            self.doc.entity(
                f"st:chain-{head.chain.replace(':', '-')}",
                {
                    "prov:label": f"ledger chain head of {head.chain}",
                    "st:seq": head.seq,
                    "st:hash": head.hash,
                    "st:verify": " ".join(
                        verify_steps(head, f"{self.scope.name}.jsonl", partial=not self.scope.whole_run)
                    ),
                },
            )

    def llm_calls(self) -> None:
        """Each call: an activity of its model that used its prompt and generated its completion."""
        for call in self.scope.calls:
            activity = _activity(self.doc, f"st:llmcall-{call.hash}", call.recorded_at, call_attributes(call))
            self.doc.wasAssociatedWith(activity, self.agent_of[call.agent_id])
            prompt = self.scope.prompt_of(call)
            if prompt is not None:
                self.doc.used(activity, self.prompt(prompt))
            completion = self.doc.entity(
                f"st:completion-{call.hash}", {"prov:type": "st:Completion", "prov:value": call.response_text}
            )
            self.doc.wasGeneratedBy(completion, activity, call.recorded_at)

    def prompt(self, prompt):
        """A prompt entity, added the first time a call used it."""
        if prompt.pk not in self.prompt_of:
            self.prompt_of[prompt.pk] = self.doc.entity(
                f"st:prompt-{prompt.hash}",
                {
                    "prov:type": "st:Prompt",
                    "prov:value": prompt.text,
                    "st:hash": prompt.hash,
                    "st:template": one_line(f"{prompt.template_name} {prompt.template_version}"),
                },
            )
        return self.prompt_of[prompt.pk]

    def programs(self) -> None:
        """Each program, generated by the activity that produced it (and derived from its completion)."""
        for candidate in self.scope.candidates:
            self.program_of[candidate.pk] = program = self.doc.entity(
                f"st:candidate-{candidate.hash}", program_attributes(candidate)
            )
            made_by = self.producer(candidate)
            self.doc.wasGeneratedBy(program, made_by, candidate.recorded_at)
            if candidate.llm_call_id is not None:
                completion = f"st:completion-{self.scope.call_of(candidate).hash}"
                self.doc.wasDerivedFrom(program, completion, made_by)

    def producer(self, candidate: Candidate):
        """The activity that produced the program: its LLM call, or an activity of its own."""
        if candidate.llm_call_id is not None:
            return self.producer_id(candidate)
        attributes = {
            "prov:type": f"st:{candidate.activity}",
            "st:params": json.dumps(candidate.params, sort_keys=True),
        }
        activity = _activity(self.doc, self.producer_id(candidate), candidate.recorded_at, attributes)
        self.doc.wasAssociatedWith(activity, self.agent_of[candidate.agent_id])
        return activity

    def producer_id(self, candidate: Candidate) -> str:
        if candidate.llm_call_id:
            return f"st:llmcall-{self.scope.call_of(candidate).hash}"
        return f"st:activity-{candidate.hash}"

    def derivations(self) -> None:
        """Each edge: the producing activity used the parent, and the program wasDerivedFrom it."""
        for candidate in self.scope.candidates:
            for edge, parent in self.scope.parents(candidate):
                self.derivation(candidate, edge, parent)

    def derivation(self, candidate: Candidate, edge: Edge, parent: Candidate) -> None:
        made_by, used = self.producer_id(candidate), self.program_of[parent.pk]
        self.doc.used(made_by, used, None, f"st:use-{edge.hash}", {"prov:role": f"st:{edge.role}"})
        self.doc.wasDerivedFrom(
            self.program_of[candidate.pk],
            used,
            made_by,
            None,
            None,
            f"st:edge-{edge.hash}",
            {"prov:type": f"st:{edge.role}", "st:slot": edge.slot},
        )

    def evaluations(self) -> None:
        """Each evaluation: an activity that used the program and generated its result."""
        for evaluation in self.scope.evaluations:
            activity = _activity(
                self.doc,
                f"st:evaluation-{evaluation.hash}",
                evaluation.recorded_at,
                evaluation_attributes(evaluation),
            )
            self.doc.used(activity, self.program_of[evaluation.candidate_id])
            result = self.doc.entity(f"st:result-{evaluation.hash}", result_attributes(evaluation))
            self.doc.wasGeneratedBy(result, activity, evaluation.recorded_at)

    def results(self, res: Results) -> None:
        """The final rule's results: a collection, one member a problem derived from its evaluation."""
        c = res.candidate
        if c is None:
            return
        collection = self.doc.collection(
            f"st:results-{c.hash}",
            [
                ("prov:type", "st:Results"),
                ("prov:label", f"results of candidate {c.pk}, the {res.which}"),
                ("st:checked", one_line(res.checked)),
                *(("st:not_checked", one_line(line)) for line in res.unchecked),
            ],
        )
        self.doc.wasDerivedFrom(collection, self.program_of[c.pk])
        for number, row in enumerate(res.rows, 1):
            member = self.doc.entity(f"st:final-{c.hash}-{number}", final_attributes(row))
            self.doc.hadMember(collection, member)
            if row.evaluation is not None:
                e = row.evaluation
                self.doc.wasDerivedFrom(member, f"st:result-{e.hash}", f"st:evaluation-{e.hash}")

    def front(self, front: RunFront | None) -> None:
        """A Pareto run's results: its front, a collection whose members are the front's programs, each
        point's totals an attribute of the collection (a member's totals are the run's, not the program's)."""
        if front is None or not front.rows:
            return
        collection = self.doc.collection(
            f"st:front-{self.scope.run.hash}",
            [
                ("prov:type", "st:ParetoFront"),
                ("prov:label", one_line(front.title)),
                ("st:objective", front.objective),
                *(("st:point", point_text(front, row)) for row in front.rows),
            ],
        )
        for row in front.rows:
            self.doc.hadMember(collection, self.program_of[row.candidate.pk])

    def annotations(self) -> None:
        """Each note, attributed to its author's account (an imported note names its author instead)."""
        for note in self.scope.annotations:
            attributes = {"prov:type": "st:Annotation", "prov:value": note.body, "st:version": note.version}
            if note.author_id is None:  # imported: its author is a name, not an account of this server
                attributes["st:author"] = author(note)
            entity = self.doc.entity(f"st:annotation-{note.hash}", attributes)
            if note.author_id is not None:
                self.doc.wasAttributedTo(entity, self.user(note.author))


def _activity(doc: ProvDocument, identifier: str, ended, attributes: dict):
    """An activity with no start time, ending when its record was recorded."""
    return doc.activity(identifier, None, ended, attributes)


def agent_attributes(agent: Agent) -> dict:
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
    return attributes


def call_attributes(call: LLMCall) -> dict:
    return {
        "prov:type": "st:LLMCall",
        "prov:label": one_line(f"LLM call {call.pk}"),
        "st:otel_attributes": json.dumps(call.otel_attributes(), sort_keys=True, default=str),
        "st:hash": call.hash,
    }


def program_attributes(candidate: Candidate) -> dict:
    return {
        "prov:type": "st:Program",
        "prov:label": f"candidate {candidate.pk}",
        "prov:value": candidate.source,
        "st:hash": candidate.hash,
        "st:source_sha256": candidate.source_sha256,
    }


def evaluation_attributes(evaluation: Evaluation) -> dict:
    prime = {"st:prime": str(evaluation.prime)} if evaluation.prime is not None else {}
    return {
        "prov:type": "st:Evaluation",
        "st:problem": one_line(evaluation.problem),
        "st:solver_version": evaluation.solver_version,
        **prime,
    }


def final_attributes(row: Row) -> list[tuple]:
    """One problem's line of the results: ours (where evaluated) and each literature rule's."""
    e = row.evaluation
    attributes = [("prov:type", "st:FinalResult"), ("st:problem", one_line(row.problem)),
                  ("st:verdict", e.verdict if e is not None else "not evaluated")]
    if e is not None:
        attributes += [(f"st:{name}", getattr(e, name)) for name in ("seeds", "equations")
                       if getattr(e, name) is not None]
        attributes += [("st:primes_checked", len(row.primes)), *(("st:prime", str(p)) for p in row.primes),
                       *(("st:prime_disagreed", str(p)) for p in row.disagreed)]
    if row.second_check:
        attributes.append(("st:second_check", row.second_check))
    if row.held_out:
        attributes.append(("st:held_out", True))
    for b in row.baselines:
        attributes += [(f"st:{b.rule}_seeds", b.seeds), (f"st:{b.rule}_equations", b.equations),
                       (f"st:{b.rule}_complete", b.complete), (f"st:{b.rule}_primes_checked", b.agreed),
                       (f"st:{b.rule}_citation", b.citation)]
    return attributes


def result_attributes(evaluation: Evaluation) -> dict:
    measured = {
        f"st:{name}": getattr(evaluation, name)
        for name in ("score", "seeds", "masters", "unreduced")
        if getattr(evaluation, name) is not None
    }
    failure = {"st:failure": evaluation.failure, "st:error": evaluation.error} if evaluation.failure else {}
    return {
        "prov:type": "st:EvaluationResult",
        "st:verdict": evaluation.verdict,
        "st:hash": evaluation.hash,
        **measured,
        **failure,
    }
