"""Mutable state of the evolution room. Everything that happened is a record in provenance; this is only
who is doing what right now, and how far each run has got."""

from django.db import models


class EvaluationJob(models.Model):
    """One candidate's evaluation as a job: the row owns its state, the queue carries only the id.

    A worker claims the job with a conditional UPDATE (queued → running with a fresh token) and records the
    evaluations only if it still holds that token when it finishes: two workers never both record one job.
    While it evaluates, the worker beats on its claim (heartbeat_at, evolution.heartbeat): a claim silent for
    three heartbeats, or older than the lease, belongs to a worker that died and may be taken over. The
    controller sends the job's task again when its message looks lost (sent_at: when it was last sent).
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
    heartbeat_at = models.DateTimeField(null=True, blank=True)  # the claim's worker last heard from
    sent_at = models.DateTimeField(null=True, blank=True)  # its task last handed to the broker (or a pool)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["run", "status"], name="job_run_status")]

    def __str__(self) -> str:
        return f"evaluation of candidate {self.candidate_id}: {self.status}"


class RunState(models.Model):
    """What is happening to a run (its record in provenance says what was asked): its status, counters and
    best so far, moved by the controller as it goes. A run with no row (a bare record) has not started.

    A run has one controller at a time: the one whose token is on the row (evolution.lease), taken with a
    conditional UPDATE and kept by a heartbeat; one silent for three heartbeats is taken for dead."""

    class Status(models.TextChoices):
        CREATED = "created"
        RUNNING = "running"
        STOPPING = "stopping"
        FINISHED = "finished"
        FAILED = "failed"
        CANCELLED = "cancelled"
        STOPPED = "stopped"  # interrupted (Ctrl-C, SIGTERM) or its database gone: `evolve --resume` goes on

    run = models.OneToOneField(
        "provenance.Run", on_delete=models.PROTECT, primary_key=True, related_name="state"
    )
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.CREATED)
    message = models.TextField(blank=True)  # why it stopped (budget cap, error, …)
    candidates = models.PositiveIntegerField(default=0)
    evaluations = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)
    in_flight = models.PositiveIntegerField(default=0)
    llm_calls = models.PositiveIntegerField(default=0)
    input_tokens = models.PositiveBigIntegerField(default=0)
    output_tokens = models.PositiveBigIntegerField(default=0)
    cost = models.DecimalField(max_digits=14, decimal_places=6, default=0)
    best_score = models.FloatField(null=True, blank=True)
    best_candidate = models.ForeignKey(
        "provenance.Candidate", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Under a Pareto objective: the points no rule of the run dominates (evolution.front); else none.
    front = models.JSONField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # The controller holding the run (evolution.lease): host:pid, last or current, and its token (None: none
    # holds the run). Null rather than "" so that archives from before controllers held runs still load.
    controller = models.CharField(max_length=200, null=True, blank=True)  # noqa: DJ001
    controller_token = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    heartbeat_at = models.DateTimeField(null=True, blank=True)  # the controller last heard from

    def __str__(self) -> str:
        return f"{self.run}: {self.status}"
