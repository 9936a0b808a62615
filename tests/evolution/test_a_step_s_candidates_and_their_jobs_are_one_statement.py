"""On PostgreSQL a step of the controller writes its candidates, their edges, their jobs and the database's
events in one autocommit statement, which also checks and renews this controller's hold on the run and moves
the chain's head (provenance.optimistic): no transaction, no lock on the run's chain. So a candidate is never
written without its job, nor a job without its candidate."""

import pytest
from django.db import connection

from evolution.controller import Controller
from evolution.models import EvaluationJob
from provenance.chain import chain_name
from provenance.models import Candidate
from provenance.verify import verify
from tests.evolution.conftest import config

RECORDS = "WITH guard AS (SELECT FROM evolution_runstate"
JOBS = '"evolution_evaluationjob"'
CLAIM = 'UPDATE "evolution_evaluationjob"'
LOCK = "SELECT seq, hash FROM provenance_chainhead"  # provenance.chain._lock: the chain's head row locked

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the one-statement write is PostgreSQL's"),
]


def test_each_step_is_one_statement_of_records_and_one_of_jobs(project, alice, monkeypatch):
    controller = Controller.start(project, config(budget=10), user=alice)
    chain = chain_name(controller.run.pk)
    steps: list[list[tuple[str, object]]] = []
    record = Controller._record

    def recorded(self, proposals, islands, dispatch, *, params):
        sent: list[tuple[str, object]] = []

        def note(execute, sql, values, many, context):
            sent.append((sql, values))
            return execute(sql, values, many, context)

        with connection.execute_wrapper(note):
            record(self, proposals, islands, dispatch, params=params)
        if "step" in params:
            steps.append(sent)

    monkeypatch.setattr(Controller, "_record", recorded)
    controller.evolve()
    assert len(steps) == 6
    for sent in steps:
        # What the step sent before its job was claimed (embedded: a job is evaluated as it is handed out).
        claimed = next((i for i, (sql, _) in enumerate(sent) if sql.startswith(CLAIM)), len(sent))
        writes = [sql for sql, _ in sent[:claimed] if not sql.startswith("SELECT")]  # reads aside
        records = writes[-1]
        assert records.startswith(RECORDS), "\n".join(sql[:120] for sql in writes)
        assert "head AS (UPDATE provenance_chainhead" in records
        assert 'INSERT INTO "provenance_candidate"' in records and f"INSERT INTO {JOBS}" in records
        assert not any(sql.startswith(f"INSERT INTO {JOBS}") for sql in writes)
        assert not any(sql.startswith(LOCK) and chain in values for sql, values in sent[:claimed])
    assert EvaluationJob.objects.filter(run=controller.run).count() == 10
    assert Candidate.objects.filter(run=controller.run).count() == 10
    assert all(report.intact for report in verify(controller.run.pk))
