"""Bookkeeping of imports (mutable, not records): who imported which archive into which new run, and where an
import of the earlier design left the global chain with a gap on purpose."""

from django.conf import settings
from django.db import models

from provenance.models.events import RunEvent
from provenance.models.projects import Project
from provenance.models.runs import Run


class Import(models.Model):
    """One archived run imported as a new run. The same facts, hashed, are the run's `import` event
    (`record`); this row is the index that finds them (e.g. an earlier import of the same file)."""

    run = models.OneToOneField(Run, on_delete=models.PROTECT, primary_key=True, related_name="imported")
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="imports")
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(auto_now_add=True)
    archive_sha256 = models.CharField(max_length=64, db_index=True)  # of the file's bytes
    archive_name = models.CharField(max_length=255, blank=True)
    archived_run = models.PositiveBigIntegerField()  # the run's id in the archive
    claimed_heads = models.JSONField(default=list)  # the archive's own chain heads (its header), as given
    archived_records = models.PositiveIntegerField()  # record lines in the whole archive
    record = models.OneToOneField(RunEvent, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["imported_at"]

    def __str__(self) -> str:
        return f"run {self.run_id}: archived run {self.archived_run} of {self.archive_sha256[:12]}…"


class ImportedGap(models.Model):
    """An archive carries only the global records its runs need: the record at `seq` came from an archive
    whose previous global record (hash `prev_hash`) is not in this database. verify accepts exactly that
    jump, and no other. Written by imports before they re-recorded archives as new runs (which need no gap);
    kept so that databases holding such imports still verify."""

    chain = models.CharField(max_length=40)
    seq = models.PositiveBigIntegerField()
    prev_hash = models.CharField(max_length=64)
    archive = models.CharField(max_length=64, blank=True)  # sha256 of the archive file
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="imported_gap_unique")]

    def __str__(self) -> str:
        return f"gap before {self.chain} seq {self.seq} (imported)"
