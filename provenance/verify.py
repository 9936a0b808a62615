"""Recompute every record's hash and every chain; name the first record that does not match.

A run's chain that holds together is then read for what one controller could not have written
(provenance.consistency: a step number twice, …), and the first such record is named too."""

from dataclasses import dataclass

from provenance.chain import Hashes, content_hash
from provenance.consistency import first_inconsistency
from provenance.membership import GLOBAL, Walk, chain_records, reference
from provenance.models import Agent, ChainHead, ImportedGap, Record, Run


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
    reports = [_verify_chain(Walk(GLOBAL), chain_records(None), agents.copy())]
    for run in Run.objects.order_by("id"):
        reports.append(_verify_run(run, agents.copy()))  # one run's hashes in memory at a time
    return reports


def _verify_run(run: Run, hashes: Hashes) -> ChainReport:
    walk = Walk.of_run(run)
    # The run record itself is on the global chain; it is also this chain's first link.
    if content_hash(run, hashes) != run.hash:
        mismatch = Mismatch("run", run.pk, walk.name, 0, "content hash mismatch")
        return ChainReport(walk.name, 0, run.seq, run.hash, mismatch)
    records = chain_records(run)
    hashes.add(run)
    report = _verify_chain(walk, records, hashes)
    if report.intact and (found := first_inconsistency(run, records)) is not None:
        report.mismatch = Mismatch(*reference(found.candidate), walk.name, found.candidate.seq, found.reason)
    return report


def _verify_chain(walk: Walk, records: list[Record], hashes: Hashes) -> ChainReport:
    hashes.add(*records)
    mismatch = _first_mismatch(walk, records, hashes) or _head_mismatch(walk, bool(records))
    return ChainReport(walk.name, len(records), walk.seq, walk.hash, mismatch)


def _first_mismatch(walk: Walk, records: list[Record], hashes: Hashes) -> Mismatch | None:
    """The first record off its place or its hash; the walk stops before it."""
    # Jumps an import left on purpose (its archive held only the global records its runs need).
    gaps = set(ImportedGap.objects.filter(chain=walk.name).values_list("seq", "prev_hash"))
    for record in records:
        misstep = walk.follows(record, may_jump=(record.seq, record.prev_hash) in gaps)
        why = misstep.reason if misstep else None
        if why is None and content_hash(record, hashes) != record.hash:
            why = "content hash mismatch"
        if why:
            return Mismatch(*reference(record), walk.name, record.seq, why)
        walk.passed(record)
    return None


def _head_mismatch(walk: Walk, any_records: bool) -> Mismatch | None:
    name = walk.name
    stored = ChainHead.objects.filter(name=name).first()
    if stored is None:
        return Mismatch("chainhead", name, name, walk.seq, "no chain head") if any_records else None
    misstep = walk.ends(stored.seq, stored.hash or walk.genesis)
    return misstep and Mismatch("chainhead", name, name, stored.seq, misstep.reason)
