"""The attribution page: a candidate's program with each sub-expression marked with the ancestor and agent
that introduced it (provenance.attribution), and what each agent contributed."""

from collections import Counter

from provenance.attribution import Attribution, lineage
from provenance.attribution import attribute as attribute_lineage
from web.access import get_candidate
from web.progress import agent_table
from web.render import page

COLOURS = 8  # distinct origins get classes o0…o7 (seedtrace.css), in order of first appearance


def blame_page(request, pk: int):
    candidate, access = get_candidate(request, pk, "run__state")
    ancestry = lineage(candidate.pk)
    attribution = attribute_lineage(ancestry, candidate.pk)
    context = {
        "candidate": candidate,
        "run": candidate.run,
        "access": access,
        "attribution": attribution,
        "segments": _marked(attribution),
        "origins": _origins(attribution),
        "agents": contributions(attribution, ancestry.origins.values(), agent_table(candidate.run, [])),
    }
    return page(request, "pages/blame.html", context)


def _marked(attribution: Attribution) -> list[dict]:
    colour: dict[int, int] = {}
    marked = []
    for segment in attribution.segments:
        origin = segment.origin
        if origin is not None:
            colour.setdefault(origin.candidate, len(colour) % COLOURS)
        marked.append({
            "text": segment.text,
            "origin": origin,
            "colour": None if origin is None else colour[origin.candidate],
        })
    return marked


def _origins(attribution: Attribution) -> list[dict]:
    """Each ancestor the program keeps something of, with the characters it keeps, in text order."""
    kept: Counter = Counter()
    for segment in attribution.segments:
        if segment.origin is not None:
            kept[segment.origin] += len(segment.text)
    return [{"origin": origin, "characters": n} for origin, n in kept.items()]


def contributions(attribution: Attribution, ancestors, produced: list[dict]) -> list[dict]:
    """Per agent: candidates it produced in the run and among the ancestors (the candidate included), and
    the sub-expressions and share of the program's characters it introduced."""
    among = Counter((o.agent, o.kind) for o in ancestors)
    made = {(row["name"], row["kind"]): row["produced"] for row in produced}
    introduced = attribution.contributions()
    total = sum(row["characters"] for row in introduced.values()) or 1
    rows = []
    for (name, kind), count in among.items():
        mine = introduced.get((name, kind), {"nodes": 0, "characters": 0})
        rows.append({
            "name": name,
            "kind": kind,
            "produced": made.get((name, kind), 0),
            "ancestors": count,
            "nodes": mine["nodes"],
            "share": round(100 * mine["characters"] / total),
        })
    return sorted(rows, key=lambda row: (-row["nodes"], -row["ancestors"], row["name"]))
