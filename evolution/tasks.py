"""Celery tasks of the evolution room: thin wrappers around services, called with ids only."""

from celery import shared_task
from django.conf import settings

from evolution import evaluation


@shared_task(
    bind=True,
    name="evolution.evaluate_candidate",
    acks_late=True,  # a worker that dies mid-task leaves the message to be delivered again
    reject_on_worker_lost=True,
    max_retries=None,  # "busy" retries end when the other claim finishes or expires
    soft_time_limit=max(1, int(settings.SEEDTRACE_EVALUATION_LEASE * 0.9)),
    time_limit=settings.SEEDTRACE_EVALUATION_LEASE,
)
def evaluate_candidate(self, candidate_id: int) -> str:
    attempt = evaluation.evaluate_candidate(candidate_id, worker=self.request.hostname or "eager")
    if attempt.state == "busy":
        raise self.retry(countdown=attempt.retry_in)
    return attempt.state
