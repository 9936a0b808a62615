"""Attribution ("blame") at the level of the syntax tree: for each sub-expression of a candidate's program,
the ancestor whose agent introduced it, following every parent (crossover's both, a person's edit, …).

Ancestors are read oldest first; each node of a program's normalised tree (provenance.subtrees) takes its
origin, in this order:
1. a subtree equal (same normalised code) to the one at its place in the first parent, or else to a
   subtree of another parent (a crossover's donor, in ROLE_ORDER), or else to one elsewhere in the first
   parent, keeps that subtree's origins node for node: a copy, a donated branch, a moved branch, and a
   person's equivalent rewrite (reformatted, renamed, commented) change nothing;
2. a node with the same label as the node at its place in the first parent (only a child changed, as
   where a mutation replaced a constant) keeps that node's own origin, and its children are read the
   same way against that node's children;
3. anything else is the candidate's own: its agent introduced it.
So the top of a crossover child stays its first parent's and the donated branch its donor's, whoever
formatted the text last. Other parents are searched before the first one elsewhere because a branch not
at its old place came from them (the donor) more likely than it moved. Work is linear in the ancestry
times the program (each node: a few dict look-ups), with pysource's caps on each program; a program that
does not parse passes nothing on.
"""

from collections import Counter, deque
from dataclasses import dataclass

from provenance import ancestry
from provenance.models import Candidate
from provenance.spelling import spelled
from provenance.subtrees import Keys, Tree, paint, read

# The parent a sub-expression is looked for in first: the one mutated or edited, then donors and the rest.
ROLE_ORDER = ["parent", "human_edit_of", "crossover_donor", "migration_source", "reset_founder",
              "inspiration", "imported_from"]
CHUNK = 5000


@dataclass(frozen=True)
class Origin:
    candidate: int
    agent: str
    kind: str  # the agent's kind: person, model, algorithm, literature
    activity: str
    operator: str  # the operator the candidate's params name (GP), else its activity

    def describe(self) -> str:
        return f"#{self.candidate} · {spelled(self.agent)} ({self.kind}) · {self.operator}"


@dataclass(frozen=True)
class Segment:
    text: str
    origin: Origin | None  # None: between statements (comments, blank lines), part of no sub-expression


@dataclass
class Lineage:
    """What attribution reads: each candidate's source and origin, its parents in ROLE_ORDER, and an order
    in which every parent comes before its children."""

    sources: dict[int, str]
    origins: dict[int, Origin]
    parents: dict[int, list[int]]
    order: list[int]


@dataclass(frozen=True)
class Part:
    text: str  # a sub-expression (or statement) as the program writes it
    origin: Origin  # who introduced the part itself; its own parts may have other origins


@dataclass
class Attribution:
    candidate: int
    segments: list[Segment]
    parts: list[Part]  # each placed sub-expression of the program, in preorder
    parsed: bool  # False: the program does not parse, and is its own agent's as a whole

    def contributions(self) -> dict[tuple[str, str], dict[str, int]]:
        """Per agent (name, kind): sub-expressions introduced and characters of the program."""
        nodes = Counter((part.origin.agent, part.origin.kind) for part in self.parts)
        characters = Counter()
        for segment in self.segments:
            if segment.origin is not None:
                characters[segment.origin.agent, segment.origin.kind] += len(segment.text)
        return {who: {"nodes": nodes[who], "characters": characters[who]} for who in nodes | characters}


def attribute(lineage: Lineage, candidate: int) -> Attribution:
    keys, trees, owns = Keys(), {}, {}
    for pk in lineage.order:
        try:
            trees[pk] = read(lineage.sources[pk], keys)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        sources = [(trees[p], owns[p]) for p in lineage.parents.get(pk, []) if p in trees]
        owns[pk] = _own_origins(trees[pk], sources, lineage.origins[pk])
    origin = lineage.origins[candidate]
    if candidate not in trees:
        source = lineage.sources[candidate]
        return Attribution(candidate, [Segment(source, origin)], [Part(source, origin)], False)
    tree, own = trees[candidate], owns[candidate]
    parts = [
        Part(tree.text[node.span[0] : node.span[1]].decode("utf-8", "replace"), own[i])
        for i, node in enumerate(tree.nodes)
        if node.span is not None
    ]
    return Attribution(candidate, _merged(tree, own), parts, True)


def _own_origins(tree: Tree, parents: list[tuple[Tree, list]], mine: Origin) -> list[Origin]:
    own: list[Origin | None] = [None] * len(tree.nodes)
    work = deque([(0, (parents[0][0], parents[0][1], 0) if parents else None)])
    while work:
        i, aligned = work.popleft()
        node = tree.nodes[i]
        found = _equal(node.key, aligned, parents)
        if found is not None:
            (other, origins, j) = found
            own[i : i + node.size] = origins[j : j + node.size]  # equal subtrees: equal preorder shapes
            continue
        if aligned is not None and aligned[0].nodes[aligned[2]].label == node.label:
            other, origins, j = aligned
            own[i] = origins[j]
            pairs = zip(node.children, other.nodes[j].children, strict=True)  # same label: same arity
            work.extend((c, (other, origins, d)) for c, d in pairs)
            continue
        own[i] = mine
        work.extend((c, None) for c in node.children)
    return own


def _equal(key: int, aligned, parents: list[tuple[Tree, list]]):
    """(tree, origins, index) of an equal subtree: at the aligned place, else the first in another parent,
    else the first elsewhere in the first parent."""
    if aligned is not None and aligned[0].nodes[aligned[2]].key == key:
        return aligned
    for other, origins in [*parents[1:], *parents[:1]]:
        j = other.first.get(key)
        if j is not None:
            return other, origins, j
    return None


def _merged(tree: Tree, own: list[Origin]) -> list[Segment]:
    """The painted text as segments, neighbours of one origin joined. Each piece starts and ends at a
    node's edge, so at a character's edge: it decodes on its own."""
    segments: list[Segment] = []
    for start, end, i in paint(tree):
        origin = None if i is None else own[i]
        text = tree.text[start:end].decode("utf-8", "replace")
        if segments and segments[-1].origin == origin:
            segments[-1] = Segment(segments[-1].text + text, origin)
        else:
            segments.append(Segment(text, origin))
    return segments


# Reading a candidate's lineage from the record ----------------------------------------------------------


def lineage(candidate_id: int) -> Lineage:
    """The candidate's ancestry (one recursive query) and the ancestors' sources and agents (one more
    query a CHUNK of ancestors)."""
    walk = ancestry.ancestors(candidate_id)
    ids = sorted(walk.ids)
    sources, origins = {}, {}
    for i in range(0, len(ids), CHUNK):
        rows = Candidate.objects.filter(pk__in=ids[i : i + CHUNK]).values_list(
            "id", "source", "agent__name", "agent__kind", "activity", "params"
        )
        for pk, source, name, kind, activity, params in rows:
            operator = params.get("operator") if isinstance(params, dict) else None
            operator = operator if isinstance(operator, str) else activity
            sources[pk] = source
            origins[pk] = Origin(pk, name, kind, activity, operator)
    rank = {role: i for i, role in enumerate(ROLE_ORDER)}
    parents: dict[int, list[int]] = {}
    for edge in sorted(walk.edges, key=lambda e: (rank.get(e.role, len(rank)), e.slot, e.parent)):
        parents.setdefault(edge.child, []).append(edge.parent)
    return Lineage(sources, origins, parents, _oldest_first(ids, parents))


def _oldest_first(ids: list[int], parents: dict[int, list[int]]) -> list[int]:
    """Kahn's order: each candidate after all its parents (the lineage is acyclic: provenance.links)."""
    waiting = {pk: len(set(parents.get(pk, []))) for pk in ids}
    children: dict[int, list[int]] = {}
    for child, ps in parents.items():
        for parent in set(ps):
            children.setdefault(parent, []).append(child)
    ready = deque(sorted(pk for pk, n in waiting.items() if n == 0))
    order = []
    while ready:
        pk = ready.popleft()
        order.append(pk)
        for child in sorted(children.get(pk, [])):
            waiting[child] -= 1
            if waiting[child] == 0:
                ready.append(child)
    return order


def blame(candidate_id: int) -> Attribution:
    return attribute(lineage(candidate_id), candidate_id)
