"""A run (an evolution) as a record, and the head of each hash chain. (What is happening to a run, its
mutable state, is the evolution room's: evolution.models.RunState.)"""

from django.conf import settings
from django.db import models

from provenance.models.base import Record
from provenance.models.projects import Project


class Run(Record):
    """What was asked: immutable. What is happening is the evolution room's (evolution.models.RunState)."""

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


class ChainHead(models.Model):
    """The last record of one chain. Writers lock this row, which serialises appends to the chain."""

    GLOBAL = "global"

    name = models.CharField(max_length=40, primary_key=True)  # "global" or "run:<id>"
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, blank=True)

    def __str__(self) -> str:
        return f"{self.name} @ {self.seq} {self.hash[:12]}"
