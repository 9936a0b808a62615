"""Celery tasks of the evolution room: thin wrappers around services, called with ids only."""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
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
    try:
        attempt = evaluation.evaluate_candidate(candidate_id, worker=self.request.hostname or "eager")
    except SoftTimeLimitExceeded:
        # The claim is handed back, but this message is acknowledged all the same: only a retry is left to
        # finish the job (the controller waits for it), on this worker or another, once the load allows.
        raise self.retry(countdown=1) from None
    if attempt.state == "busy":
        if self.request.is_eager:
            # No broker to wait through (an eager retry runs again at once, and again…): the controller sends
            # the job again if the claim that holds it dies.
            return attempt.state
        # Another claim holds the job: try again when it could be taken over, within three heartbeats of its
        # worker's death (or at the end of its lease); by then it is usually done, and this copy finishes.
        raise self.retry(countdown=attempt.retry_in)
    return attempt.state
