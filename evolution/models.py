"""Mutable state of the evolution room. Everything that happened is a record in provenance; this is only
who is doing what right now."""

from django.db import models


class EvaluationJob(models.Model):
    """One candidate's evaluation as a job: the row owns its state, the queue carries only the id.

    A worker claims the job with a conditional UPDATE (queued → running with a fresh token) and records the
    evaluations only if it still holds that token when it finishes: two workers never both record one job.
    A claim older than the lease (a worker that died) may be taken over.
    """

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        DONE = "done"

    candidate = models.OneToOneField(
        "provenance.Candidate", on_delete=models.PROTECT, primary_key=True, related_name="job"
    )
    run = models.ForeignKey("provenance.Run", on_delete=models.PROTECT, related_name="evaluation_jobs")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    token = models.CharField(max_length=32, blank=True)
    worker = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["run", "status"], name="job_run_status")]

    def __str__(self) -> str:
        return f"evaluation of candidate {self.candidate_id}: {self.status}"
