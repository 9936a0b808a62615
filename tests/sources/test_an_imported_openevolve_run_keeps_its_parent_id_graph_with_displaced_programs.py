"""The lineage of an imported OpenEvolve run is its parent_id graph over every checkpoint and the trace:
programs displaced from later checkpoints, and children that lived only between two, are kept."""

import json

import pytest

from provenance.models import Edge, Import
from tests.sources.conftest import OPENEVOLVE, by_source_id, import_run

pytestmark = pytest.mark.django_db


def written_by_openevolve() -> tuple[dict, dict[str, set[int]]]:
    """Every program the files name: id → (parent_id, migrant?), and the checkpoints holding each."""
    graph, held = {}, {}
    for file in sorted(OPENEVOLVE.glob("checkpoints/checkpoint_*/programs/*.json")):
        program = json.loads(file.read_text())
        graph[program["id"]] = (program["parent_id"], bool(program["metadata"].get("migrant")))
        held.setdefault(program["id"], set()).add(int(file.parent.parent.name.split("_")[1]))
    for line in (OPENEVOLVE / "evolution_trace.jsonl").read_text().splitlines():
        step = json.loads(line)
        graph.setdefault(step["child_id"], (step["parent_id"], False))
    return graph, held


def test_every_program_and_parent_edge_is_imported(project):
    import_run("openevolve", OPENEVOLVE)
    run = Import.objects.get().run
    graph, _ = written_by_openevolve()
    candidates = by_source_id(run)
    assert set(candidates) == set(graph)
    edges = {
        (e.child.params["source"]["id"], e.parent.params["source"]["id"], e.role)
        for e in Edge.objects.filter(run=run).select_related("child", "parent")
    }
    expected = {
        (child, parent, Edge.Role.MIGRATION_SOURCE if migrant else Edge.Role.PARENT)
        for child, (parent, migrant) in graph.items()
        if parent is not None
    }
    assert edges == expected


def test_displaced_and_between_checkpoint_programs_are_kept(project):
    import_run("openevolve", OPENEVOLVE)
    candidates = by_source_id(Import.objects.get().run)
    _, held = written_by_openevolve()
    last = max(n for checkpoints in held.values() for n in checkpoints)
    displaced = [pid for pid, checkpoints in held.items() if last not in checkpoints]
    between = [pid for pid in candidates if pid not in held]
    assert displaced and between  # the fixture has both
    for pid in displaced + between:
        assert candidates[pid].params["source"]["id"] == pid
    assert candidates[between[0]].archived["imported_from"]["file"] == "evolution_trace.jsonl, line 5"


def test_a_copy_to_another_island_is_a_migration(project):
    import_run("openevolve", OPENEVOLVE)
    graph, _ = written_by_openevolve()
    migrant = next(pid for pid, (_, is_migrant) in graph.items() if is_migrant)
    copy = by_source_id(Import.objects.get().run)[migrant]
    assert copy.activity == "migration"
    assert [(e.role, e.parent.params["source"]["id"]) for e in copy.parent_edges.all()] == [
        (Edge.Role.MIGRATION_SOURCE, graph[migrant][0])
    ]
