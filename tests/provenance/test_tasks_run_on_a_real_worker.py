"""A task runs on a real Celery worker process, over Redis and over RabbitMQ, against the test database."""

import os

import pytest

from provenance import ledger
from provenance.tasks import verify_ledger
from tests.worker import celery_worker


@pytest.fixture
def recorded_run(project, alice):
    run = ledger.start_run(project, family="trianglebox", problems=["rank3"], engine="gp", started_by=alice)
    agent = ledger.literature_agent("Laporta rule", "S. Laporta (2000)", "hep-ph/0102033")
    ledger.record_candidate(run, source="def keep(seed):\n    return seed.r <= 6\n", activity="literature",
                            agent=agent)
    run.refresh_from_db()
    return run


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("broker", ["redis", "rabbitmq"])
def test_a_task_runs_on_a_worker_and_reads_the_same_records(broker, recorded_run):
    expected = verify_ledger(recorded_run.pk)  # in this process
    with celery_worker(broker) as client:
        reply = client.send_task("provenance.verify_ledger", args=[recorded_run.pk]).get(timeout=60)
    assert reply["worker"].split(":")[-1] != str(os.getpid())
    assert reply["chains"] == expected["chains"]
    assert reply["chains"][0]["records"] == 1 and reply["chains"][0]["mismatch"] is None


@pytest.mark.django_db
def test_without_a_broker_tasks_run_eagerly_in_process(recorded_run):
    reply = verify_ledger.delay(recorded_run.pk).get()
    assert reply["worker"].endswith(f":{os.getpid()}")
    assert reply["chains"][0]["mismatch"] is None
