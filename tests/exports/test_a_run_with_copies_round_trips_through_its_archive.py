"""A real run with island resets and migrations (copies with `reset_founder` and `migration_source` edges)
exports to a JSONL archive that imports as a new run with the same typed edges, and verifies: the link rules
that refuse a wrong role accept every edge a real run writes."""

import pytest
from django.core.management import call_command

from evolution.controller import Controller
from provenance.models import Candidate, Edge, Run
from provenance.verify import verify
from tests.evolution.conftest import config
from tests.exports.archives import import_file

pytestmark = pytest.mark.django_db(transaction=True)


def roles(run) -> list[tuple[str, str, str]]:
    return sorted(Edge.objects.filter(run=run).values_list("activity", "role", "slot"))


def test_the_archive_of_a_run_with_copies_imports_with_the_same_edges(project, alice, tmp_path):
    moving = {"reset_period": 7, "migration_period": 5}
    controller = Controller.start(project, config(budget=24, seed=3, database=moving), user=alice)
    controller.evolve()
    original = controller.run
    assert {"island_reset", "migration"} <= set(Candidate.objects.filter(run=original)
                                                .values_list("activity", flat=True))
    path = tmp_path / "run.jsonl"
    call_command("export", "--run", str(original.pk), "--format", "jsonl", "-o", str(path))
    import_file(path, project.slug, alice.username)
    (imported,) = Run.objects.exclude(pk=original.pk)
    assert roles(imported) == roles(original)
    assert all(report.intact for report in verify(imported.pk))
