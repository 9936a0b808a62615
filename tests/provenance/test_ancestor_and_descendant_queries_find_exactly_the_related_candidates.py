"""Ancestors, descendants and paths to roots in a multi-parent DAG, checked against a hand-drawn graph and
against a plain Python walk over a random one."""

import random
import time

import pytest

from provenance import ancestry, ledger
from provenance.models import Candidate, Edge

pytestmark = pytest.mark.django_db


@pytest.fixture
def dag(founder, mutate, run, laporta):
    """
        A (founder)      B (second root)
        |     \\          |
        C      D --------+        D: crossover of A and B
        |  \\  /  \\
        E   F    G                 F: crossover of C and D; G: mutation of D
         \\ /
          H                        H: crossover of E and F   (A reached by 3 paths, at depths 3 and 4)
    """
    a = founder
    b = ledger.record_candidate(
        run, source="def keep(seed): return seed.d == 0", activity="literature", agent=laporta
    )
    c = mutate(a)
    d = mutate(a, b)
    e = mutate(c)
    f = mutate(c, d)
    g = mutate(d)
    h = mutate(e, f)
    return {name: node.pk for name, node in zip("ABCDEFGH", [a, b, c, d, e, f, g, h], strict=True)}


def named(dag, depths):
    names = {pk: name for name, pk in dag.items()}
    return {names[pk]: depth for pk, depth in depths.items()}


def test_ancestors_are_every_candidate_upstream_at_its_shortest_distance(dag):
    found = ancestry.ancestors(dag["H"])
    assert named(dag, found.depth) == {"H": 0, "E": 1, "F": 1, "C": 2, "D": 2, "A": 3, "B": 3}
    assert len(found.edges) == 8  # E←C, F←C, F←D, H←E, H←F, C←A, D←A, D←B
    assert {(e.parent, e.child) for e in found.edges} == {
        (dag[p], dag[c]) for p, c in ["EH", "FH", "CE", "CF", "DF", "AC", "AD", "BD"]
    }


def test_descendants_are_every_candidate_downstream(dag):
    assert named(dag, ancestry.descendants(dag["D"]).depth) == {"D": 0, "F": 1, "G": 1, "H": 2}
    assert named(dag, ancestry.descendants(dag["A"]).depth) == {
        "A": 0,
        "C": 1,
        "D": 1,
        "E": 2,
        "F": 2,
        "G": 2,
        "H": 3,
    }
    assert named(dag, ancestry.descendants(dag["H"]).depth) == {"H": 0}


def test_paths_to_roots_reach_both_starting_programs(dag):
    found = ancestry.paths_to_roots(dag["H"])
    assert found.roots() == {dag["A"], dag["B"]}
    names = {pk: name for name, pk in dag.items()}
    paths = {
        names[root]: "".join(names[pk] for pk in path)
        for root, path in found.shortest_paths_to_roots().items()
    }
    assert paths["B"] == "HFDB"
    assert paths["A"] in {"HECA", "HFCA"}


def test_a_depth_bound_stops_the_walk(dag):
    found = ancestry.ancestors(dag["H"], max_depth=2)
    assert named(dag, found.depth) == {"H": 0, "E": 1, "F": 1, "C": 2, "D": 2}
    assert all(e.parent in found.ids and e.child in found.ids for e in found.edges)


def test_a_root_has_no_ancestors_but_itself(dag):
    assert ancestry.ancestors(dag["A"]).depth == {dag["A"]: 0}


def test_a_random_multi_parent_dag_agrees_with_a_plain_walk(run, founder, mutate):
    rng = random.Random(4)
    nodes = [founder]
    for _ in range(60):
        parents = rng.sample(nodes[-12:], k=min(len(nodes), rng.choice([1, 2, 3])))
        nodes.append(mutate(*parents))
    parents_of = {}
    for edge in Edge.objects.filter(run=run):
        parents_of.setdefault(edge.child_id, set()).add(edge.parent_id)

    def walk(start):
        depth, frontier = {start: 0}, [start]
        while frontier:
            nxt = []
            for node in frontier:
                for parent in parents_of.get(node, ()):
                    if parent not in depth:
                        depth[parent] = depth[node] + 1
                        nxt.append(parent)
            frontier = nxt
        return depth

    for node in rng.sample(nodes, 10):
        assert ancestry.ancestors(node.pk).depth == walk(node.pk)


def test_ancestors_at_depth_500_come_back_quickly(run, founder, mutate):
    node = founder
    with ledger.batch(run):
        for _ in range(500):
            node = mutate(node)
    started = time.perf_counter()
    found = ancestry.ancestors(node.pk)
    elapsed = time.perf_counter() - started
    assert max(found.depth.values()) == 500 and len(found.depth) == 501
    assert elapsed < 0.5  # the bench measures the real figure (≤ 50 ms) on a 10,000-candidate run


def test_an_edge_recorded_later_joins_the_lineage(dag, run, project, laporta):
    migrated = ledger.record_edge(
        Candidate.objects.get(pk=dag["G"]), Candidate.objects.get(pk=dag["E"]), "parent"
    )
    assert (
        migrated.activity == "gp_mutation" and migrated.prev_hash == run.edges.get(seq=migrated.seq - 1).hash
    )
    assert named(dag, ancestry.ancestors(dag["G"]).depth) == {"G": 0, "D": 1, "E": 1, "A": 2, "B": 2, "C": 2}
    sibling = ledger.start_run(project, family="trianglebox", problems=["rank4"], engine="gp")
    imported = ledger.record_candidate(
        sibling,
        source="def keep(seed): return seed.d == 0",
        activity="import",
        agent=laporta,
        parents=[(Candidate.objects.get(pk=dag["H"]), "imported_from")],
    )
    assert ancestry.ancestors(imported.pk).ids == {imported.pk, *dag.values()} - {dag["G"]}
