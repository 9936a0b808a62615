"""Start and stop a real Celery worker process for a test, on a given broker, sharing the test database."""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
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


def broker_urls(broker: str) -> tuple[str, str | None]:
    """(broker URL, result backend) of a broker named in BROKERS, or of a broker's URL (no result backend)."""
    return (broker, None) if "://" in broker else BROKERS[broker]


def test_database_url() -> str:
    """The URL of the database this test session uses (pytest-django's test database)."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def celery_worker(broker: str, *, pool: str = "solo", concurrency: int = 1,
                  extra_env: dict | None = None, queue: str | None = None, app: str = "seedtrace"
                  ) -> Iterator[Celery]:
    """Yield a client app whose tasks go to a fresh worker process on `broker` (a name in BROKERS or a URL)
    and on a private queue (or on `queue`, to start a second worker on the first one's queue).
    `client.worker` is the worker's process, the leader of its own process group, so that
    `kill(client.worker)` takes its pool children down too.
    `app`: the module of the worker's Celery app (tests.celery_app: the project's, with fast redelivery)."""
    broker_url, backend = broker_urls(broker)
    queue = queue or f"seedtrace-test-{uuid.uuid4().hex[:12]}"
    env = dict(os.environ, CELERY_BROKER_URL=broker_url, CELERY_RESULT_BACKEND=backend or "",
               CELERY_QUEUE=queue, DATABASE_URL=test_database_url(), **(extra_env or {}))
    name = f"{queue}-{uuid.uuid4().hex[:6]}"  # two workers on one queue have different names
    log_path = ROOT / "var" / f"{name}.log"
    log_path.parent.mkdir(exist_ok=True)
    with open(log_path, "w") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", app, "worker", f"--pool={pool}",
             f"--concurrency={concurrency}", "--loglevel=INFO", "--without-gossip", "--without-mingle",
             "--without-heartbeat", "-n", f"{name}@%h"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
    # Not the current app: shared tasks run in this process (eager) would follow it to the broker.
    client = Celery("seedtrace-test-client", broker=broker_url, backend=backend, set_as_current=False)
    client.conf.update(task_default_queue=queue, task_serializer="json", accept_content=["json"],
                       broker_connection_retry_on_startup=True)
    client.worker = worker
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


def kill(worker: subprocess.Popen) -> None:
    """SIGKILL the worker and its pool children at once, as a power cut would: nothing is acknowledged."""
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()


def stop(worker: subprocess.Popen, grace: float = 20.0) -> None:
    if worker.poll() is not None:
        return
    worker.terminate()
    deadline = time.monotonic() + grace
    while worker.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    if worker.poll() is None:
        worker.kill()
        worker.wait()


@contextmanager
def reaped(process: subprocess.Popen) -> Iterator[subprocess.Popen]:
    """The process, killed and waited for if it still runs when the block ends: a failing test leaves no
    controller or command behind to write into the next test's database."""
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


def job_of(candidate, status: str):
    """The candidate's evaluation job if it has this status, else None."""
    from evolution.models import EvaluationJob

    return EvaluationJob.objects.filter(pk=candidate.pk, status=status).first()


def wait_until(check: Callable[[], object], timeout: float, what: str, every: float = 0.1) -> object:
    """Poll `check()` until it returns something truthy, and return that; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not (found := check()):
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up after {timeout:g} s waiting for {what}")
        time.sleep(every)
    return found


def manage(*args: str, broker: str | None = None, queue: str | None = None) -> subprocess.Popen:
    """`manage.py ARGS` in a process of its own (its own process group too) on the test database: embedded
    (no broker, tasks run eagerly) unless `broker` names one, then its tasks go to `queue`."""
    env = {k: v for k, v in os.environ.items() if k not in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND")}
    env["DATABASE_URL"] = test_database_url()
    if broker:
        env.update(CELERY_BROKER_URL=broker_urls(broker)[0], CELERY_QUEUE=queue or "seedtrace")
    return subprocess.Popen([sys.executable, "manage.py", *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
