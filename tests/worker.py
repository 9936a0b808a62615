"""Start and stop a real Celery worker process for a test, on a given broker, sharing the test database."""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from celery import Celery
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]

BROKERS = {
    # name: (broker URL, result backend the test reads replies from)
    "redis": ("redis://127.0.0.1:6379/14", "redis://127.0.0.1:6379/15"),
    "rabbitmq": ("amqp://guest:guest@127.0.0.1:5672//", "rpc://"),
}


def test_database_url() -> str:
    """The URL of the database this test session uses (pytest-django's test database)."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def celery_worker(broker: str, *, pool: str = "solo", concurrency: int = 1,
                  extra_env: dict | None = None) -> Iterator[Celery]:
    """Yield a client app whose tasks go to a fresh worker process on `broker` and on a private queue."""
    broker_url, backend = BROKERS[broker]
    queue = f"seedtrace-test-{uuid.uuid4().hex[:12]}"
    env = dict(os.environ, CELERY_BROKER_URL=broker_url, CELERY_RESULT_BACKEND=backend,
               CELERY_QUEUE=queue, DATABASE_URL=test_database_url(), **(extra_env or {}))
    log_path = ROOT / "var" / f"{queue}.log"
    log_path.parent.mkdir(exist_ok=True)
    with open(log_path, "w") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "provenance", "worker", f"--pool={pool}",
             f"--concurrency={concurrency}", "--loglevel=INFO", "--without-gossip", "--without-mingle",
             "--without-heartbeat", "-n", f"{queue}@%h"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    client = Celery("seedtrace-test-client", broker=broker_url, backend=backend)
    client.conf.update(task_default_queue=queue, task_serializer="json", accept_content=["json"],
                       broker_connection_retry_on_startup=True)
    try:
        yield client
    except BaseException:
        stop(worker)
        sys.stderr.write(f"--- worker log ({log_path}) ---\n{log_path.read_text()[-6000:]}\n")
        raise
    else:
        stop(worker)
        log_path.unlink(missing_ok=True)
    finally:
        client.close()


def stop(worker: subprocess.Popen, grace: float = 20.0) -> None:
    worker.terminate()
    deadline = time.monotonic() + grace
    while worker.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    if worker.poll() is None:
        worker.kill()
        worker.wait()
