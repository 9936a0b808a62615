"""Events of a run's search that shape lineage without creating a program: which island was chosen, which
programs were sampled as parents, a program registered in the program database, an island reset."""

from django.db import models

from provenance.models.base import RunRecord
from provenance.models.graph import Candidate
from provenance.models.runs import Run


class RunEvent(RunRecord):
    run = models.ForeignKey(Run, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=40)  # register, choose_island, sample, reset, …
    candidate = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, null=True, blank=True, related_name="events"
    )  # the program the event is about, when there is one
    payload = models.JSONField(default=dict, blank=True)

    def __str__(self) -> str:
        return f"{self.kind} event {self.pk} of run {self.run_id}"
