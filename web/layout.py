"""Positions for a lineage DAG, computed here so the browser only draws (Cytoscape's `preset` layout):
in-browser layered layouts take minutes at 10,000 nodes.

Generation (longest path from a root) is the vertical axis; within a generation, candidates are ordered by
the mean position of their parents (one barycentre sweep, which removes most crossings), then by id.
"""

from collections import defaultdict, deque

DX, DY = 60, 90


def generations(ids: set[int], edges: list[tuple[int, int]]) -> dict[int, int]:
    """Longest distance from a root, by Kahn's topological order (the lineage is acyclic)."""
    children, indegree = defaultdict(list), dict.fromkeys(ids, 0)
    for parent, child in edges:
        children[parent].append(child)
        indegree[child] += 1
    generation = dict.fromkeys(ids, 0)
    ready = deque(sorted(node for node, n in indegree.items() if n == 0))
    while ready:
        node = ready.popleft()
        for child in children[node]:
            generation[child] = max(generation[child], generation[node] + 1)
            indegree[child] -= 1
            if indegree[child] == 0:
                ready.append(child)
    return generation


def positions(ids: set[int], edges: list[tuple[int, int]]) -> dict[int, tuple[float, float]]:
    generation = generations(ids, edges)
    parents = defaultdict(list)
    for parent, child in edges:
        parents[child].append(parent)
    rows = defaultdict(list)
    for node, g in generation.items():
        rows[g].append(node)
    order: dict[int, int] = {}
    placed = {}
    for g in sorted(rows):

        def key(node):
            seen = [order[p] for p in parents[node] if p in order]
            return (sum(seen) / len(seen) if seen else 0.0, node)

        row = sorted(rows[g], key=key)
        middle = (len(row) - 1) / 2
        for i, node in enumerate(row):
            order[node] = i - middle
            placed[node] = (round((i - middle) * DX), g * DY)  # DX is even: exact
    return placed
