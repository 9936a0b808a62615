"""Where an import left the global chain with a gap on purpose (mutable bookkeeping, not a record)."""

from django.db import models


class ImportedGap(models.Model):
    """An archive carries only the global records its runs need: the record at `seq` came from an archive
    whose previous global record (hash `prev_hash`) is not in this database. verify accepts exactly that
    jump, and no other."""

    chain = models.CharField(max_length=40)
    seq = models.PositiveBigIntegerField()
    prev_hash = models.CharField(max_length=64)
    archive = models.CharField(max_length=64, blank=True)  # sha256 of the archive file
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="imported_gap_unique")]

    def __str__(self) -> str:
        return f"gap before {self.chain} seq {self.seq} (imported)"
