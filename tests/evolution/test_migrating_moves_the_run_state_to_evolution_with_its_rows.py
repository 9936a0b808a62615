"""Migrating a database of the schema before (run state in provenance_runstate) moves the state to the
evolution room: the same rows, in evolution_runstate, read through evolution.models.RunState."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from evolution.models import RunState
from provenance import ledger

pytestmark = pytest.mark.django_db(transaction=True)  # a migration runs outside any test transaction

BEFORE = [("provenance", "0007_imports_as_new_runs"), ("evolution", "0001_evaluation_jobs")]


def migrate(targets=None):
    """Migrate to the targets (None: every app's latest); the models as they are there."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_the_rows_written_before_are_the_state_after(project, alice):
    run = ledger.start_run(project, family="trianglebox", problems=["rank3"], engine="gp", started_by=alice)
    laporta = ledger.literature_agent("Laporta rule", "S. Laporta (2000)", "hep-ph/0102033")
    best = ledger.record_candidate(run, source="def keep(seed):\n    return True\n", activity="literature",
                                   agent=laporta)
    try:
        before = migrate(BEFORE)
        before.get_model("provenance", "RunState").objects.create(
            run_id=run.pk, status="finished", message="budget reached", candidates=7, evaluations=6,
            failures=1, cost=Decimal("0.125"), best_score=-88.0, best_candidate_id=best.pk,
        )
    finally:
        migrate()

    state = RunState.objects.get(run=run)
    assert (state.status, state.message, state.candidates, state.evaluations, state.failures) == (
        "finished", "budget reached", 7, 6, 1
    )
    assert (state.cost, state.best_score, state.best_candidate_id) == (Decimal("0.125"), -88.0, best.pk)
    tables = connection.introspection.table_names()
    assert "evolution_runstate" in tables and "provenance_runstate" not in tables
