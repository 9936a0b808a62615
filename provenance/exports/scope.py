"""Which records an export covers: a candidate's ancestry (the default) or whole runs. Every format renders
the same scope, so every format of one candidate names the same candidates.

An ancestry is the candidate's ancestry closure: the candidate and every candidate upstream of it
(provenance.ancestry), and the ancestry of every candidate a prompt of theirs showed (a prompt's hash covers
the candidates it shows, so whatever holds the prompt must hold them to check it); with the edges among
them, their evaluations, the prompts and LLM calls that produced them, the events about them, the agents
that acted and the notes on any of these: each record's references stay inside the scope. It is a selection
of its runs' chains, not the chains: see provenance.exports.archive for how such a part still verifies.
A whole run is every record on the run's chain, and only `run_scope` (export --run) gives one.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from provenance import models
from provenance.ancestry import ancestors
from provenance.membership import chain_name, chain_run

CHUNK = 900  # ids per IN (…) clause: under SQLite's parameter limit on old builds


@dataclass
class Scope:
    runs: list[models.Run]
    focus: models.Candidate | None  # the candidate whose ancestry this is; None for a whole run
    candidates: list[models.Candidate]
    edges: list[models.Edge]
    evaluations: list[models.Evaluation]
    prompts: list[models.Prompt]
    calls: list[models.LLMCall]
    events: list[models.RunEvent]
    agents: list[models.Agent]
    annotations: list[models.Annotation]
    heads: list[models.ChainHead]
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def run(self) -> models.Run:
        """The run of the focus candidate (or the run exported)."""
        return self.runs[0]

    @property
    def whole_run(self) -> bool:
        return self.focus is None

    @property
    def name(self) -> str:
        if self.focus is not None:
            return f"seedtrace-candidate-{self.focus.pk}"
        return f"seedtrace-run-{self.run.pk}"

    def run_records(self) -> list[models.Record]:
        """Every record of the scope on a run chain, chronologically (run by run, then by seq)."""
        records = [
            *self.prompts,
            *self.calls,
            *self.candidates,
            *self.edges,
            *self.evaluations,
            *self.events,
            *(note for note in self.annotations if chain_run(note) is not None),
        ]
        order = {run.pk: i for i, run in enumerate(self.runs)}
        return sorted(records, key=lambda r: (order.get(r.run_id, len(order)), r.seq))

    def parents(self, candidate: models.Candidate) -> list[tuple[models.Edge, models.Candidate]]:
        if "parents" not in self._cache:
            by_id, parents = {c.pk: c for c in self.candidates}, defaultdict(list)
            for edge in self.edges:
                if edge.parent_id in by_id:
                    parents[edge.child_id].append((edge, by_id[edge.parent_id]))
            self._cache["parents"] = parents
        return self._cache["parents"].get(candidate.pk, [])

    def evaluations_of(self, candidate: models.Candidate) -> list[models.Evaluation]:
        return self._by("candidate_id", self.evaluations).get(candidate.pk, [])

    def notes_on(self, record: models.Record) -> list[models.Annotation]:
        kind = record._meta.model_name
        return self._by("target", self.annotations).get((kind, record.pk), [])

    def call_of(self, candidate: models.Candidate) -> models.LLMCall | None:
        return self._index(self.calls).get(candidate.llm_call_id)

    def prompt_of(self, call: models.LLMCall) -> models.Prompt | None:
        return self._index(self.prompts).get(call.prompt_id)

    def agent(self, pk: int) -> models.Agent:
        return self._index(self.agents)[pk]

    def _index(self, records: list) -> dict:
        key = ("index", id(records))
        if key not in self._cache:
            self._cache[key] = {r.pk: r for r in records}
        return self._cache[key]

    def _by(self, attribute: str, records: list) -> dict:
        key = ("by", attribute)
        if key not in self._cache:
            grouped = defaultdict(list)
            for r in records:
                grouped[
                    (r.target_type, r.target_id) if attribute == "target" else getattr(r, attribute)
                ].append(r)
            self._cache[key] = grouped
        return self._cache[key]


def candidate_scope(candidate: models.Candidate | int) -> Scope:
    """The candidate's ancestry."""
    if not isinstance(candidate, models.Candidate):
        candidate = models.Candidate.objects.get(pk=candidate)
    ids = sorted(closure(candidate.pk))
    candidates = _in(models.Candidate.objects.all(), "pk", ids)
    run_ids = sorted({c.run_id for c in candidates}, key=lambda pk: (pk != candidate.run_id, pk))
    calls = _in(models.LLMCall.objects.all(), "pk", {c.llm_call_id for c in candidates} - {None})
    prompts = _in(models.Prompt.objects.all(), "pk", {c.prompt_id for c in calls} - {None})
    return _complete(
        runs=[models.Run.objects.select_related("started_by", "project").get(pk=pk) for pk in run_ids],
        focus=candidate,
        candidates=candidates,
        edges=_in(models.Edge.objects.all(), "child_id", ids),
        evaluations=_in(models.Evaluation.objects.all(), "candidate_id", ids),
        prompts=prompts,
        calls=calls,
        events=_in(models.RunEvent.objects.all(), "candidate_id", ids),
    )


def closure(candidate_id: int) -> set[int]:
    """The ids of the candidate's ancestry closure: its ancestors, and the ancestors of each candidate shown
    in a prompt that produced one of them, until no prompt shows one left out. Usually the shown candidates
    are parents already, and this is one query more than the ancestors."""
    ids = ancestors(candidate_id).ids
    added = ids
    while added:
        shown = _shown(sorted(added)) - ids
        added = set().union(*(ancestors(pk).ids for pk in sorted(shown))) - ids
        ids = ids | added
    return ids


def _shown(ids: list[int]) -> set[int]:
    """The candidates shown in the prompts that produced these candidates."""
    shown = set()
    for start in range(0, len(ids), CHUNK):
        slots = models.Candidate.objects.filter(
            pk__in=ids[start : start + CHUNK], llm_call__prompt__isnull=False
        ).values_list("llm_call__prompt__slots", flat=True)
        shown |= {slot["candidate"] for filled in slots for slot in filled}
    return shown


def run_scope(run: models.Run | int) -> Scope:
    """Every record of the run's chain."""
    if not isinstance(run, models.Run):
        run = models.Run.objects.select_related("started_by", "project").get(pk=run)
    return _complete(
        runs=[run],
        focus=None,
        candidates=list(models.Candidate.objects.filter(run=run).order_by("seq")),
        edges=list(models.Edge.objects.filter(run=run).order_by("seq")),
        evaluations=list(models.Evaluation.objects.filter(run=run).order_by("seq")),
        prompts=list(models.Prompt.objects.filter(run=run).order_by("seq")),
        calls=list(models.LLMCall.objects.filter(run=run).order_by("seq")),
        events=list(models.RunEvent.objects.filter(run=run).order_by("seq")),
    )


def _complete(**parts) -> Scope:
    """Add the agents that acted, the notes on every record in scope (and on those agents), the heads."""
    agent_ids = {c.agent_id for c in parts["candidates"]} | {c.agent_id for c in parts["calls"]}
    agents = _in(models.Agent.objects.select_related("user"), "pk", agent_ids)
    targets = {"run": [r.pk for r in parts["runs"]], "agent": [a.pk for a in agents]}
    for kind in ("candidates", "edges", "evaluations", "prompts", "calls", "events"):
        for record in parts[kind]:
            targets.setdefault(record._meta.model_name, []).append(record.pk)
    notes = []
    for kind, ids in targets.items():
        about = models.Annotation.objects.filter(target_type=kind).select_related("author")
        notes += _in(about, "target_id", ids)
    notes.sort(key=lambda n: (chain_run(n) is not None, chain_run(n) or 0, n.seq))  # global chain first
    names = [chain_name(run.pk) for run in parts["runs"]]
    heads = sorted(models.ChainHead.objects.filter(name__in=names), key=lambda h: names.index(h.name))
    return Scope(agents=agents, annotations=notes, heads=heads, **parts)


def _in(queryset, column: str, ids: Iterable[int]) -> list:
    ids = sorted(ids)
    found = []
    for start in range(0, len(ids), CHUNK):
        found += queryset.filter(**{f"{column}__in": ids[start : start + CHUNK]})
    found.sort(key=lambda r: (getattr(r, "run_id", 0) or 0, r.seq))
    return found
