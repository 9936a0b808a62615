"""Lineage as Cytoscape elements with server-computed positions: a candidate's ancestors or descendants, or
a whole run; as JSON (for notebooks and the API) and as a page that draws it, or lists it in a table
(`?view=list`: no script needed)."""

import gc
from contextlib import contextmanager

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, JsonResponse
from django.urls import reverse
from django.utils.html import json_script

from evolution.runs import state_of
from provenance import ancestry
from provenance.models import Annotation, Candidate, Edge, Run
from web.access import get_candidate, get_run
from web.labels import activity_label, agent_label, role_label
from web.layout import positions
from web.node_scores import node_scores
from web.render import page

DIRECTIONS = ("up", "down")  # ancestors, descendants
VIEWS = ("graph", "list")
CHUNK = 5000  # ids per IN (…) list: well under SQLite's limit on bound parameters
ANCESTRY_KEPT = 3600  # seconds a candidate's ancestry stays cached after it was read


def candidate_graph(candidate: Candidate, direction: str) -> dict:
    walk = ancestors(candidate.run, candidate.pk) if direction == "up" else ancestry.descendants(candidate.pk)
    edges = [(edge.parent, edge.child, edge.role) for edge in walk.edges]
    rows = []
    ids = sorted(walk.ids)
    with _collector_paused():
        for i in range(0, len(ids), CHUNK):
            rows += _node_rows(Candidate.objects.filter(pk__in=ids[i : i + CHUNK]))
        return _elements(candidate.run, rows, edges, start=candidate.pk)


def run_graph(run: Run) -> dict:
    with _collector_paused():
        rows = _node_rows(Candidate.objects.filter(run=run))
        edges = list(Edge.objects.filter(run=run).values_list("parent_id", "child_id", "role"))
        return _elements(run, rows, edges, start=state_of(run).best_candidate_id)


def ancestors(run: Run, candidate_id: int) -> ancestry.Relatives:
    """The candidate's ancestry, read once: it never changes (a candidate's parents are recorded with it, an
    import writes a whole run in one transaction, and records are never changed), and a lineage page walks
    two, its candidate's and the run's best's."""
    key = f"ancestors-1:{run.hash}:{candidate_id}"
    walk = cache.get(key)
    if walk is None:
        walk = ancestry.ancestors(candidate_id)
        cache.set(key, walk, timeout=ANCESTRY_KEPT)
    return walk


class CompactEncoder(DjangoJSONEncoder):
    """No spaces after separators: a tenth less to send and to parse at 10,000 nodes."""

    item_separator, key_separator = ",", ":"


@contextmanager
def _collector_paused():
    """A whole run's graph is ~100,000 small containers, all alive until the response is sent: the cyclic
    garbage collector ran several full passes over them and found nothing (a third of the build time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _node_rows(candidates) -> list[tuple]:
    return list(
        candidates.values_list("id", "agent__kind", "agent__name", "activity", "llm_call_id", "island")
    )


def _elements(run: Run, rows: list[tuple], edges: list[tuple], start: int | None) -> dict:
    ids = {row[0] for row in rows}
    edges = [edge for edge in edges if edge[0] in ids and edge[1] in ids]
    placed = positions(ids, [(parent, child) for parent, child, _ in edges])
    annotated = set(
        Annotation.objects.filter(run=run, target_type="candidate").values_list("target_id", flat=True)
    )
    best = state_of(run).best_candidate_id
    # The best rule's ancestry, drawn large and labelled even in a whole run of thousands.
    lineage = ancestors(run, best).ids if best else set()
    scores = node_scores(ids)
    url = reverse("pages:candidate", args=[0]).removesuffix("0/")
    nodes = []
    for pk, kind, agent, activity, llm_call, island in rows:
        x, y = placed[pk]
        score = scores.get(pk)
        data = {
            "id": str(pk),
            "label": f"#{pk} · {score.text if score else 'not scored'} · {activity_label(activity)}",
            "score": score.value if score else None,
            "rank": score.rank if score else 0,
            "tip": f"#{pk} · {score.explained if score else 'not evaluated'} · {activity_label(activity)}"
                   f" by {agent}",
            "lineage": pk in lineage,
            "kind": kind,
            "agent": agent,
            "activity": activity,
            "island": island,
            "url": f"{url}{pk}/",
            "prompt": llm_call is not None,
            "annotated": pk in annotated,
            "best": pk == best,
            "start": pk == start,
        }
        nodes.append({"data": data, "position": {"x": x, "y": y}})
    links = [
        {
            "data": {
                "id": f"{parent}-{child}-{role}",
                "source": str(parent),
                "target": str(child),
                "role": role,
            }
        }
        for parent, child, role in edges
    ]
    return {"start": str(start) if start else None, "nodes": nodes, "edges": links}


def _direction(request) -> str:
    direction = request.GET.get("direction", "up")
    if direction not in DIRECTIONS:
        raise Http404("direction is up (ancestors) or down (descendants)")
    return direction


def candidate_json(request, pk: int):
    candidate, _ = get_candidate(request, pk, "run__state")
    return JsonResponse(candidate_graph(candidate, _direction(request)), encoder=CompactEncoder)


def run_json(request, run_id: int):
    run, _ = get_run(request, run_id, "state")
    graph = run_graph(run)
    with _collector_paused():
        return JsonResponse(graph, encoder=CompactEncoder)


def candidate_page(request, pk: int):
    candidate, access = get_candidate(request, pk, "run__state")
    direction = _direction(request)
    context = {
        "run": candidate.run,
        "candidate": candidate,
        "access": access,
        "direction": direction,
    }
    return _page(request, context, candidate_graph(candidate, direction))


def run_page(request, run_id: int):
    run, access = get_run(request, run_id, "state")
    return _page(request, {"run": run, "access": access}, run_graph(run))


def _page(request, context: dict, graph: dict):
    with _collector_paused():
        data = json_script(graph, "lineage-data", encoder=CompactEncoder)
    counts = {"nodes": len(graph["nodes"]), "edges": len(graph["edges"])}
    listed = listed_nodes(graph, whole_run="candidate" not in context)
    view = request.GET.get("view")
    return page(request, "pages/lineage.html", {
        **context, "counts": counts, "graph_data": data, "listed": listed,
        "view": view if view in VIEWS else "graph", "view_links": _view_links(request),
    })


def _view_links(request) -> dict[str, str]:
    """Each view's address: this page's query with `view` set (a direction kept)."""
    links = {}
    for view in VIEWS:
        query = request.GET.copy()
        query["view"] = view
        links[view] = f"?{query.urlencode()}"
    return links


def listed_nodes(graph: dict, whole_run: bool) -> list[dict]:
    """The graph as rows of a table, roots first (by generation, then across): a candidate's whole ancestry
    or descent, or of a whole run the best rule's ancestry alone; each with its score in words, what made
    it and its parents (those drawn: a candidate's descent starts at the candidate)."""
    nodes = [n for n in graph["nodes"] if n["data"]["lineage"] or not whole_run]
    nodes.sort(key=lambda n: (n["position"]["y"], n["position"]["x"]))
    listed = {int(n["data"]["id"]) for n in nodes}
    scores = node_scores(listed)
    parents: dict[str, list[dict]] = {}
    for edge in graph["edges"]:
        d = edge["data"]
        parents.setdefault(d["target"], []).append({"id": d["source"], "role": role_label(d["role"])})
    rows = []
    for node in nodes:
        data, score = node["data"], scores.get(int(node["data"]["id"]))
        rows.append({
            **data,
            "score_text": score.text if score else "not scored",
            "score_explained": score.explained if score else "not evaluated",
            "operator": activity_label(data["activity"]),
            "agent_name": agent_label(data["agent"]),
            "parents": sorted(parents.get(data["id"], []), key=lambda p: int(p["id"])),
        })
    return rows
