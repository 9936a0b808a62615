"""What every record shares: its place on a hash chain. Records are written once, by provenance.ledger."""

from django.db import models


class Record(models.Model):
    # A run's records are found through the unique (run, seq) index each table has, so their `run`
    # foreign keys carry no index of their own: one index less to update on every write.

    """An append-only row: the database refuses UPDATE and DELETE (provenance.immutability).

    `hash` is the SHA-256 of the canonical JSON of every other column (provenance.chain), `prev_hash` the
    hash of the record before it on the same chain (the run's, or the global chain for records of no run).
    """

    seq = models.PositiveBigIntegerField(editable=False)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, unique=True, editable=False)
    recorded_at = models.DateTimeField(editable=False)
    # Only on a record re-recorded by an import (provenance.exports.loader): what it was in the archive (its
    # hash, id and recorded_at there) and what the import put in place of an author. None elsewhere, and a
    # None column is left out of the hash, so records written before this column keep their hashes.
    archived = models.JSONField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True

    @property
    def short_hash(self) -> str:
        return self.hash[:12]


class RunRecord(Record):
    """A record on its run's chain: numbered in the run, in that order. Each concrete model declares its own
    `run` foreign key (for its related name); the constraint is named after the model, as
    candidate_seq_unique_in_run."""

    class Meta:
        abstract = True
        ordering = ["run", "seq"]
        constraints = [models.UniqueConstraint(fields=["run", "seq"], name="%(class)s_seq_unique_in_run")]
