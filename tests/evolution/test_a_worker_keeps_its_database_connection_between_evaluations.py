"""A Celery worker keeps its PostgreSQL connection from one evaluation to the next (seedtrace/celery.py).

Celery's Django fixup closes every connection after every task; a new server backend per evaluation cost
about 9 ms of server CPU, a third of a job (bench/throughput.py). The worker here is the prefork pool that
users run, on Redis and the test database."""

import pytest
from django.db import connection

from evolution.models import EvaluationJob
from tests.worker import celery_worker, wait_until

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="reads PostgreSQL's pg_stat_activity"),
]

RULE = "def keep(seed):\n    return seed.d == 0 and seed.r <= {r}\n"


def worker_backends() -> set[tuple[int, object]]:
    """(pid, backend_start) of every other connection to the test database."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, backend_start FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return set(cursor.fetchall())


def evaluate(client, candidate) -> None:
    client.send_task("evolution.evaluate_candidate", args=[candidate.pk])
    wait_until(
        lambda: EvaluationJob.objects.filter(pk=candidate.pk, status="done").exists(),
        60,
        f"candidate {candidate.pk} to be evaluated",
    )


def test_the_same_backend_serves_every_evaluation(human_candidate):
    candidates = [human_candidate(RULE.format(r=r)) for r in range(4, 10)]
    with celery_worker("redis", pool="prefork") as client:
        evaluate(client, candidates[0])
        first = worker_backends()
        assert len(first) == 1, first  # the pool process's connection, still open after its task
        for candidate in candidates[1:]:
            evaluate(client, candidate)
            assert worker_backends() == first
    assert all(c.evaluations.count() == 1 for c in candidates)
