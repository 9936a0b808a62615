"""A GP run whose database migrates (`evolve --migrate-every N`) records each program it moves as a copy on
the island it went to, joined by a `migration_source` edge to what stood on the island it left: a program
that travels twice travels through its copies."""

import json

import pytest
from django.core.management import call_command

from provenance.models import Candidate, Edge, Run, RunEvent
from provenance.verify import verify

pytestmark = pytest.mark.django_db(transaction=True)


def test_each_migration_is_a_copy_with_a_migration_source_edge(capsys):
    call_command("evolve", "--family", "trianglebox", "--problem", "rank3", "--budget", "24", "--population",
                 "4", "--seed", "3", "--migrate-every", "4", "--reset-every", "1000", "--json",
                 "--verbosity", "0")
    run = Run.objects.get(pk=json.loads(capsys.readouterr().out)["run"])
    assert run.config["database"]["migration_period"] == 4
    moves = list(RunEvent.objects.filter(run=run, kind="migration").order_by("seq"))
    copies = list(Candidate.objects.filter(run=run, activity="migration").order_by("seq"))
    assert moves and len(copies) == len(moves)
    for event, copy in zip(moves, copies, strict=True):
        (edge,) = Edge.objects.filter(child=copy).select_related("parent")
        assert (edge.role, copy.island, copy.params["copy_of"]) == (
            "migration_source", event.payload["island"], event.candidate_id)
        assert edge.parent.island in (None, event.payload["source_island"])  # None: the Laporta start
        assert edge.parent.source == copy.source == event.candidate.source
    travelled = [copy for copy in copies if copy.parent_edges.get().parent.activity == "migration"]
    assert travelled, "no program migrated twice"
    assert not RunEvent.objects.filter(run=run, kind="reset").exists()
    assert all(report.intact for report in verify(run.pk))
