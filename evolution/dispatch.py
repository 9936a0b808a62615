"""How evaluations get run: by Celery (workers anywhere, or eagerly in process when there is no broker) or,
in the embedded mode with several workers, by a local pool of processes. Either way the database row owns
the job: the controller only learns of results by reading the jobs back."""

from __future__ import annotations

import logging
import multiprocessing
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

from django.conf import settings

from evolution import evaluation, pool_worker
from evolution.evaluation import queue_job

log = logging.getLogger(__name__)


def evaluate_later(candidate) -> None:
    """A candidate that joins a run from outside the controller (a person's edit): its job row now, its
    task once the surrounding transaction commits, so that a worker never looks for an unwritten row."""
    from evolution.tasks import evaluate_candidate

    queue_job(candidate)
    evaluate_candidate.delay_on_commit(candidate.pk)


class CeleryDispatch:
    def __init__(self, workers: int):
        self.eager = settings.CELERY_TASK_ALWAYS_EAGER
        # With a broker, keep every worker busy and one job queued behind each.
        self.capacity = 1 if self.eager else 2 * workers
        self.failures: list[BaseException] = []  # a task's failure shows on its job row, not here

    def submit(self, candidate_id: int) -> None:
        """Hand the job's task to the broker. A broker out of reach (restarting, a network cut) costs the
        run nothing: the job waits in its row, and the controller sends it again once its message is
        overdue (lost_messages), by which time the broker is likely back."""
        from kombu.exceptions import OperationalError

        from evolution.tasks import evaluate_candidate

        try:
            evaluate_candidate.delay(candidate_id)
        except OperationalError as error:
            log.warning("broker out of reach (%s): the evaluation of candidate %s is sent again later",
                        error, candidate_id)

    def submit_all(self, candidate_ids: list[int]) -> None:
        """A step's jobs. Eagerly (no broker) this process would score them one after another anyway: it does
        so and records their evaluations in one write. Otherwise each goes to the broker."""
        if self.eager and len(candidate_ids) > 1:
            evaluation.evaluate_together(candidate_ids, worker="eager")
            return
        for candidate_id in candidate_ids:
            self.submit(candidate_id)

    def wait(self, seconds: float) -> None:
        """Give workers time to finish something. (Eager tasks finished before submit returned: a job still
        unfinished then is one whose message was lost, waiting to be sent again.)"""
        time.sleep(seconds)

    def close(self) -> None:
        pass


class PoolDispatch:
    """Embedded mode, several workers: child processes (spawned, so each opens its own database connection
    and its own sandbox) run the same service a Celery worker runs."""

    def __init__(self, workers: int):
        self.capacity = 2 * workers  # one job waiting behind each process, so none idles between jobs
        self.pool = ProcessPoolExecutor(
            workers, mp_context=multiprocessing.get_context("spawn"), initializer=pool_worker.setup
        )
        self.pending: set[Future] = set()
        self.failures: list[BaseException] = []

    def submit(self, candidate_id: int) -> None:
        future = self.pool.submit(pool_worker.evaluate, candidate_id)
        self.pending.add(future)
        future.add_done_callback(self._check)

    def submit_all(self, candidate_ids: list[int]) -> None:
        """A step's jobs, each to the first process free: they are scored side by side."""
        for candidate_id in candidate_ids:
            self.submit(candidate_id)

    def wait(self, seconds: float) -> None:
        """Return as soon as a job finishes (rather than polling the database on a timer)."""
        done, self.pending = wait(self.pending, timeout=seconds, return_when=FIRST_COMPLETED)

    def _check(self, future: Future) -> None:
        if future.exception() is not None:
            self.failures.append(future.exception())

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


def dispatch_for(workers: int):
    if settings.CELERY_TASK_ALWAYS_EAGER and workers > 1:
        return PoolDispatch(workers)
    return CeleryDispatch(workers)
