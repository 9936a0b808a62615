"""How the evolution room answers the record store's signals."""

from evolution.evaluation import queue_job


def evaluate_submitted(sender, candidate, **kwargs) -> None:
    """Queue the submitted candidate's evaluation; the task runs once the transaction commits."""
    from evolution.tasks import evaluate_candidate

    queue_job(candidate)
    evaluate_candidate.delay_on_commit(candidate.pk)
