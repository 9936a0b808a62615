"""Recompute every record's hash and every chain; name the first record that does not match."""

from dataclasses import dataclass

from provenance.chain import Hashes, content_hash
from provenance.models import RECORD_MODELS, Agent, Annotation, ChainHead, ImportedGap, Record, Run

# Every record table but the global chain's own (annotations may be on either chain).
RUN_TABLES = tuple(model for model in RECORD_MODELS if model not in (Agent, Run))


@dataclass
class Mismatch:
    table: str
    id: int | str
    chain: str
    seq: int
    reason: str

    def __str__(self) -> str:
        return f"{self.table} {self.id} (chain {self.chain}, seq {self.seq}): {self.reason}"


@dataclass
class ChainReport:
    name: str
    records: int
    seq: int
    hash: str
    mismatch: Mismatch | None = None

    @property
    def intact(self) -> bool:
        return self.mismatch is None


def verify(run_id: int | None = None) -> list[ChainReport]:
    """Every chain (the global one, then each run's), or only the given run's."""
    agents = Hashes(Agent.objects.only("id", "hash"))
    if run_id is not None:
        return [_verify_run(Run.objects.get(pk=run_id), agents.copy())]
    reports = [_verify_global(agents.copy())]
    for run in Run.objects.order_by("id"):
        reports.append(_verify_run(run, agents.copy()))  # one run's hashes in memory at a time
    return reports


def _verify_global(hashes: Hashes) -> ChainReport:
    records = [*Agent.objects.all(), *Run.objects.all(), *Annotation.objects.filter(run__isnull=True)]
    return _verify_chain(ChainHead.GLOBAL, records, "", hashes)


def _verify_run(run: Run, hashes: Hashes) -> ChainReport:
    name = f"run:{run.pk}"
    # The run record itself is on the global chain; it is also this chain's first link.
    if content_hash(run, hashes) != run.hash:
        return ChainReport(
            name, 0, run.seq, run.hash, Mismatch("run", run.pk, name, 0, "content hash mismatch")
        )
    records = [record for model in RUN_TABLES for record in model.objects.filter(run=run)]
    hashes.add(run)
    return _verify_chain(name, records, run.hash, hashes)


def _verify_chain(name: str, records: list[Record], genesis: str, hashes: Hashes) -> ChainReport:
    records.sort(key=lambda record: record.seq)
    hashes.add(*records)
    # Jumps an import left on purpose (its archive held only the global records its runs need).
    gaps = set(ImportedGap.objects.filter(chain=name).values_list("seq", "prev_hash"))
    seq, head = 0, genesis
    for record in records:
        if (record.seq, record.prev_hash) in gaps and record.seq > seq + 1:
            seq, head = record.seq - 1, record.prev_hash
        mismatch = _check(record, name, seq + 1, head, hashes)
        if mismatch:
            return ChainReport(name, len(records), seq, head, mismatch)
        seq, head = record.seq, record.hash
    stored = ChainHead.objects.filter(name=name).first()
    if stored is None and records:
        return ChainReport(
            name, len(records), seq, head, Mismatch("chainhead", name, name, seq, "no chain head")
        )
    if stored is not None and (stored.seq, stored.hash or genesis) != (seq, head):
        why = (
            f"sequence gap: the chain head is at seq {stored.seq} but the last record is seq {seq}"
            if stored.seq != seq
            else "the chain head's hash is not the last record's"
        )
        return ChainReport(name, len(records), seq, head, Mismatch("chainhead", name, name, stored.seq, why))
    return ChainReport(name, len(records), seq, head)


def _check(record: Record, name: str, seq: int, previous: str, hashes: Hashes) -> Mismatch | None:
    table = record._meta.model_name
    if record.seq != seq:
        why = f"sequence gap: expected seq {seq}" if record.seq > seq else f"seq {record.seq} appears twice"
        return Mismatch(table, record.pk, name, record.seq, why)
    if record.prev_hash != previous:
        return Mismatch(table, record.pk, name, record.seq, "broken link to the previous record")
    if content_hash(record, hashes) != record.hash:
        return Mismatch(table, record.pk, name, record.seq, "content hash mismatch")
    return None
