"""Data flows one way: solver ← evolution ← web, and provenance ← {evolution, web}. The solver imports no
Django and no other room; the record store imports neither room that writes to it; no room imports the
project package (seedtrace/: settings, urls, Celery app), which only wires them together."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROJECT = "seedtrace"
FORBIDDEN = {
    "solver": {"django", "celery", "provenance", "evolution", "web", PROJECT},
    "provenance": {"evolution", "web", PROJECT},
    "evolution": {"web", PROJECT},
    "web": {PROJECT},
}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("room", sorted(FORBIDDEN))
def test_a_room_imports_nothing_downstream_of_it(room):
    offenders = {
        str(path.relative_to(ROOT)): sorted(imported_packages(path) & FORBIDDEN[room])
        for path in (ROOT / room).rglob("*.py")
        if imported_packages(path) & FORBIDDEN[room]
    }
    assert offenders == {}


def test_the_web_room_is_where_both_rooms_meet():
    """The pages call the evolution room directly (a person's edit is evaluated by a call, not a signal)."""
    web = set().union(*(imported_packages(path) for path in (ROOT / "web").rglob("*.py")))
    assert {"provenance", "evolution"} <= web
