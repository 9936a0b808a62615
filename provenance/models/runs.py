"""A run (an evolution) as a record, and the mutable state that changes while it goes."""

from django.conf import settings
from django.db import models

from provenance.models.base import Record
from provenance.models.projects import Project


class Run(Record):
    """What was asked: immutable. What is happening: RunState."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="runs")
    title = models.CharField(max_length=200, blank=True)
    family = models.CharField(max_length=200)
    problems = models.JSONField(default=list)
    engine = models.CharField(max_length=50)  # gp, llm, mixed, human, import
    config = models.JSONField(default=dict, blank=True)
    random_seed = models.BigIntegerField(null=True, blank=True)
    code_version = models.CharField(max_length=100, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="runs"
    )

    class Meta:
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["seq"], name="run_seq_unique_on_global_chain")]

    def __str__(self) -> str:
        return self.title or f"run {self.pk} ({self.family})"


class RunState(models.Model):
    class Status(models.TextChoices):
        CREATED = "created"
        RUNNING = "running"
        STOPPING = "stopping"
        FINISHED = "finished"
        FAILED = "failed"
        CANCELLED = "cancelled"

    run = models.OneToOneField(Run, on_delete=models.PROTECT, primary_key=True, related_name="state")
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
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.run}: {self.status}"


class ChainHead(models.Model):
    """The last record of one chain. Writers lock this row, which serialises appends to the chain."""

    GLOBAL = "global"

    name = models.CharField(max_length=40, primary_key=True)  # "global" or "run:<id>"
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"{self.name} @ {self.seq} {self.hash[:12]}"
