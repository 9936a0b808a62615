"""Shinka keeps the programs each prompt showed beside the parent (archive and top-k inspirations): each
becomes an inspiration edge; island copies become migrations."""

import json
import sqlite3

import pytest

from provenance.models import Edge, Import
from tests.sources.conftest import SHINKA, by_source_id, import_run

pytestmark = pytest.mark.django_db


def rows() -> list[dict]:
    connection = sqlite3.connect(f"{(SHINKA / 'programs.sqlite').as_uri()}?mode=ro&immutable=1", uri=True)
    connection.row_factory = sqlite3.Row
    return [dict(row) for row in connection.execute("SELECT * FROM programs")]


def test_each_inspiration_is_an_inspiration_edge(project):
    import_run("shinka", SHINKA)
    run = Import.objects.get().run
    expected = {
        (row["id"], inspiration)
        for row in rows()
        for column in ("archive_inspiration_ids", "top_k_inspiration_ids")
        for inspiration in json.loads(row[column] or "[]")
    }
    assert expected  # the fixture has some
    found = {
        (e.child.params["source"]["id"], e.parent.params["source"]["id"])
        for e in Edge.objects.filter(run=run, role=Edge.Role.INSPIRATION).select_related("child", "parent")
    }
    assert found == expected


def test_parents_and_island_copies_are_typed_edges(project):
    import_run("shinka", SHINKA)
    candidates = by_source_id(Import.objects.get().run)
    for row in rows():
        metadata = json.loads(row["metadata"] or "{}")
        edges = {(e.role, e.parent.params["source"]["id"]) for e in candidates[row["id"]].parent_edges.all()}
        if row["parent_id"]:
            assert (Edge.Role.PARENT, row["parent_id"]) in edges
        if metadata.get("_is_island_copy"):
            assert edges == {(Edge.Role.MIGRATION_SOURCE, metadata["_original_program_id"])}
