"""The link rules of the provenance graph. provenance.ledger checks them before it writes anything."""

import functools
import re

from provenance.ancestry import is_ancestor
from provenance.errors import CycleError, LinkError, RecordError, SecretError
from provenance.models import Activity, Agent, Candidate, Edge, Evaluation, LLMCall, Run

K = Agent.Kind
# Which kind of agent may carry out each activity ("import" keeps the original author, whoever it was).
ACTIVITY_AGENTS = {
    Activity.LITERATURE: {K.LITERATURE},
    Activity.RANDOM_INIT: {K.ALGORITHM},
    Activity.GP_CROSSOVER: {K.ALGORITHM},
    Activity.GP_MUTATION: {K.ALGORITHM},
    Activity.GP_SELECTION: {K.ALGORITHM},
    Activity.LLM: {K.MODEL},
    Activity.HUMAN: {K.PERSON},
    Activity.HUMAN_EDIT: {K.PERSON},
    Activity.MIGRATION: {K.ALGORITHM},
    Activity.ISLAND_RESET: {K.ALGORITHM},
    Activity.IMPORT: set(K),
}

R = Edge.Role
# Which edge roles each activity may give the candidate it produces, as AiiDA types its links: a mutation
# has a parent and nothing else, a person's edit is an edit of something, a copy names where it came from.
# "import" records another system's lineage as that system wrote it (its own link rules, not ours).
ACTIVITY_ROLES = {
    Activity.LITERATURE: frozenset(),
    Activity.RANDOM_INIT: frozenset(),
    Activity.GP_CROSSOVER: frozenset({R.PARENT, R.CROSSOVER_DONOR}),
    Activity.GP_MUTATION: frozenset({R.PARENT}),
    Activity.GP_SELECTION: frozenset({R.PARENT}),
    Activity.LLM: frozenset({R.PARENT, R.INSPIRATION}),  # the version improved on; the others shown
    Activity.HUMAN: frozenset({R.INSPIRATION}),
    Activity.HUMAN_EDIT: frozenset({R.HUMAN_EDIT_OF, R.INSPIRATION}),
    Activity.MIGRATION: frozenset({R.MIGRATION_SOURCE}),
    Activity.ISLAND_RESET: frozenset({R.RESET_FOUNDER}),
    Activity.IMPORT: frozenset(R),
}

# Compared after lower-casing and dropping everything but letters and digits ("max_tokens" stays allowed).
SECRET_KEYS = (
    "apikey",
    "secret",
    "password",
    "passwd",
    "authorization",
    "accesstoken",
    "authtoken",
    "privatekey",
    "bearer",
    "credential",
)
SECRET_VALUE = re.compile(r"^(sk-[A-Za-z0-9_-]{16,}|Bearer\s+\S{8,})$")


def check_no_secrets(value, where: str) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            squashed = re.sub(r"[^a-z0-9]", "", str(key).lower())
            if any(word in squashed for word in SECRET_KEYS):
                raise SecretError(f"{where}: refusing to record {key!r}: credentials never enter a record")
            check_no_secrets(item, f"{where}.{key}")
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            check_no_secrets(item, f"{where}[{i}]")
    elif isinstance(value, str) and SECRET_VALUE.match(value.strip()):
        raise SecretError(f"{where}: refusing to record a value that looks like an API key")


def check_choice(value: str, choices, what: str) -> None:
    if not isinstance(value, str) or value not in _values(choices):
        raise RecordError(f"unknown {what} {value!r} (one of {', '.join(choices.values)})")


@functools.cache
def _values(choices) -> frozenset:
    return frozenset(choices.values)  # Django builds the list anew at each access (20 µs for Activity)


def check_candidate(run: Run, agent: Agent, activity: str, llm_call: LLMCall | None) -> None:
    """A candidate has exactly one producing activity, carried out by an agent of the matching kind."""
    check_choice(activity, Activity, "activity")
    if agent.kind not in ACTIVITY_AGENTS[activity]:
        raise LinkError(f"a {agent.kind} agent cannot carry out activity {activity!r}")
    if activity == Activity.LLM and llm_call is None:
        raise LinkError("a candidate produced by an LLM needs the LLM call that produced it")
    if activity != Activity.LLM and llm_call is not None:
        raise LinkError(f"activity {activity!r} is not an LLM call, yet an LLM call was given")
    if llm_call is not None:
        if llm_call.run_id != run.pk:
            raise LinkError(f"LLM call {llm_call.pk} belongs to run {llm_call.run_id}, not run {run.pk}")
        if llm_call.agent_id != agent.pk:
            raise LinkError(f"LLM call {llm_call.pk} was made by agent {llm_call.agent_id}, not {agent.pk}")
        if llm_call.failed:
            raise LinkError(
                f"LLM call {llm_call.pk} failed ({llm_call.error_type or 'error'}): it produced nothing"
            )


def check_same_run(run: Run, record, what: str) -> None:
    if record.run_id != run.pk:
        raise LinkError(f"{what} {record.pk} belongs to run {record.run_id}, not run {run.pk}")


def check_llm_call(run: Run, agent: Agent, prompt, fields: dict) -> None:
    if agent.kind != K.MODEL:
        raise LinkError(f"an LLM call is made by a model agent, not a {agent.kind}")
    if prompt is not None:
        check_same_run(run, prompt, "prompt")
    if fields.get("cost") is not None and not fields.get("price_table"):
        raise RecordError("a cost needs the price table it came from (price_table)")
    if fields.get("attempt", 1) < 1:
        raise RecordError("attempt numbers start at 1")
    check_no_secrets(fields.get("params", {}), "params")


def check_evaluation(fields: dict) -> None:
    check_choice(fields.get("verdict"), Evaluation.Verdict, "verdict")
    if not fields.get("problem"):
        raise RecordError("an evaluation names the problem it scored")
    failed = fields["verdict"] == Evaluation.Verdict.FAILED
    if failed and not fields.get("failure"):
        raise RecordError("a failed evaluation says why (failure: timeout, refused, exception, …)")
    if not failed and (fields.get("failure") or fields.get("error")):
        raise RecordError(f"a {fields['verdict']} evaluation carries no failure")


def check_parents(child_run: Run, parents: list[tuple[Candidate, str, str]], activity: str) -> None:
    """Edges into a new candidate: typed, no duplicates, parents from the same project, of a role its
    activity may have. (They cannot make a cycle: the child is new, so it has no descendants yet.)"""
    seen = set()
    for parent, role, slot in parents:
        check_choice(role, Edge.Role, "edge role")
        if (parent.pk, role, slot) in seen:
            raise LinkError(f"candidate {parent.pk} is given twice as {role} {slot}".rstrip())
        seen.add((parent.pk, role, slot))
        if parent.run_id != child_run.pk:
            parent_project = Run.objects.filter(pk=parent.run_id).values_list("project_id", flat=True).get()
            if parent_project != child_run.project_id:
                raise LinkError(
                    f"candidate {parent.pk} belongs to another project: edges stay inside a project"
                )
        check_role(role, activity)


def check_role(role: str, activity: str) -> None:
    check_choice(activity, Activity, "activity")
    if role not in ACTIVITY_ROLES[activity]:
        allowed = ", ".join(sorted(ACTIVITY_ROLES[activity])) or "none"
        raise LinkError(f"a {activity} candidate cannot have a {role!r} edge (its roles: {allowed})")


def check_edge(child: Candidate, parent: Candidate, role: str, slot: str, activity: str) -> None:
    """An edge added between recorded candidates. A cycle is named before a role the activity may not
    have: it is wrong whatever the role."""
    if child.pk == parent.pk:
        raise CycleError(f"candidate {child.pk} cannot be its own {role}")
    if is_ancestor(child.pk, of=parent.pk):
        raise CycleError(f"candidate {child.pk} is an ancestor of {parent.pk}: the edge would close a cycle")
    check_parents(child.run, [(parent, role, slot)], activity)
    if Edge.objects.filter(child=child, parent=parent, role=role, slot=slot).exists():
        raise LinkError(f"candidate {parent.pk} is already {role} {slot} of candidate {child.pk}".rstrip())
