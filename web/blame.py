"""Attribution ("blame"): for each line of a candidate, the ancestor that introduced it and its agent.

Lines are followed through every edge, not only the first parent: a line of a child that matches a line of
one of its parents (difflib's matching blocks, parents in role order) comes from wherever that parent's
line came from; a line that matches no parent was written by the child's own agent. One walk up the
lineage (a recursive CTE) and one query for the ancestors' sources, whatever the run's size.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass
from difflib import SequenceMatcher

from provenance import ancestry
from provenance.models import Candidate
from web.access import get_candidate
from web.layout import generations
from web.progress import agent_table
from web.render import page

# Which parent a shared line is credited to first: the one mutated or edited, then donors and the rest.
ROLE_ORDER = [
    "parent",
    "human_edit_of",
    "crossover_donor",
    "migration_source",
    "reset_founder",
    "inspiration",
]
CHUNK = 5000


@dataclass(frozen=True)
class Line:
    number: int
    text: str
    origin: int  # candidate id
    agent: str
    kind: str


def blame(candidate: Candidate) -> tuple[list[Line], dict[int, tuple]]:
    walk = ancestry.ancestors(candidate.pk)
    ids = sorted(walk.ids)
    info = {}
    for i in range(0, len(ids), CHUNK):
        rows = Candidate.objects.filter(pk__in=ids[i : i + CHUNK]).values_list(
            "id", "source", "agent__name", "agent__kind"
        )
        info.update({pk: (source.splitlines(), name, kind) for pk, source, name, kind in rows})
    parents = defaultdict(list)
    rank = {role: i for i, role in enumerate(ROLE_ORDER)}
    for edge in sorted(walk.edges, key=lambda e: (rank.get(e.role, len(rank)), e.parent)):
        parents[edge.child].append(edge.parent)
    generation = generations(set(ids), [(edge.parent, edge.child) for edge in walk.edges])
    origin: dict[int, list[int]] = {}
    for node in sorted(ids, key=lambda pk: (generation[pk], pk)):
        lines = info[node][0]
        found: list[int | None] = [None] * len(lines)
        for parent in parents[node]:
            matcher = SequenceMatcher(None, info[parent][0], lines, autojunk=False)
            for a, b, size in matcher.get_matching_blocks():
                for k in range(size):
                    if found[b + k] is None:
                        found[b + k] = origin[parent][a + k]
        origin[node] = [pk if pk is not None else node for pk in found]
    lines = [
        Line(n + 1, text, pk, info[pk][1], info[pk][2])
        for n, (text, pk) in enumerate(zip(info[candidate.pk][0], origin[candidate.pk], strict=True))
    ]
    return lines, info


def contributions(lines: list[Line], info: dict[int, tuple]) -> list[dict]:
    """Per agent: candidates among the ancestors (the candidate included) and lines of it they wrote."""
    ancestors = Counter((name, kind) for _, name, kind in info.values())
    written = Counter((line.agent, line.kind) for line in lines)
    return sorted(
        (
            {"name": name, "kind": kind, "ancestors": count, "lines": written.get((name, kind), 0)}
            for (name, kind), count in ancestors.items()
        ),
        key=lambda row: (-row["lines"], -row["ancestors"], row["name"]),
    )


def blame_page(request, pk: int):
    candidate, access = get_candidate(request, pk, "run__state")
    lines, info = blame(candidate)
    produced = {(row["name"], row["kind"]): row for row in agent_table(candidate.run, [])}
    rows = contributions(lines, info)
    for row in rows:
        row["produced"] = produced.get((row["name"], row["kind"]), {}).get("produced", 0)
    context = {"candidate": candidate, "run": candidate.run, "access": access, "lines": lines, "agents": rows}
    return page(request, "pages/blame.html", context)
