"""Chain membership: which chain holds a record, what chains are called, how a record is referred to, and the
walk along one chain in seq order. Writing (provenance.chain), verifying (provenance.verify) and importing
(provenance.exports.loader) all go by this one account.

There is one global chain and one chain per run. The global chain holds the records of no run: agents, runs,
and notes on agents. A run's chain holds every other record of the run, notes on the run record included;
the run record itself is on the global chain, and its hash is the run chain's first link (seq 0).
"""

from dataclasses import dataclass

from provenance.models import RECORD_MODELS, Agent, Annotation, ChainHead, Record, Run

GLOBAL = ChainHead.GLOBAL
GLOBAL_TABLES = (Agent, Run)
RUN_TABLES = tuple(model for model in RECORD_MODELS if model not in GLOBAL_TABLES)
# A note is on the chain of its target's run: a note on an agent (run None) is on the global chain.
EITHER_TABLES = (Annotation,)

# A record is referred to as (kind, id) (a note's target, an archive's lines); its kind names its table.
RECORD_TYPES = {model._meta.model_name: model for model in RECORD_MODELS}
Reference = tuple[str, int]


def chain_name(run_id: int | None) -> str:
    return f"run:{run_id}" if run_id is not None else GLOBAL


def chain_run(record: Record) -> int | None:
    """The run whose chain holds the record; None for the global chain."""
    return None if isinstance(record, GLOBAL_TABLES) else record.run_id


def run_of(record: Record) -> int | None:
    """The run the record is part of: a run is part of itself, an agent of none. A note on the record goes
    on this run's chain."""
    return record.pk if isinstance(record, Run) else chain_run(record)


def reference(record: Record) -> Reference:
    return record._meta.model_name, record.pk


def target_of(note: Annotation) -> Reference:
    return note.target_type, note.target_id


def chain_records(run: Run | None) -> list[Record]:
    """Every stored record of one chain (the global chain for None), in seq order."""
    if run is None:
        found = [record for model in GLOBAL_TABLES for record in model.objects.all()]
        found += [record for model in EITHER_TABLES for record in model.objects.filter(run__isnull=True)]
    else:
        found = [record for model in RUN_TABLES for record in model.objects.filter(run=run)]
    return sorted(found, key=lambda record: record.seq)


@dataclass
class Misstep:
    field: str  # the record's column that is wrong: "seq", "prev_hash" (or a head's "seq", "hash")
    reason: str


class Walk:
    """Where a walk along one chain stands: the seq and hash of the last record passed, from the chain's
    genesis (seq 0: "" for the global chain, the run record's hash for a run's)."""

    def __init__(self, name: str, genesis: str = ""):
        self.name, self.genesis = name, genesis
        self.seq, self.hash = 0, genesis

    @classmethod
    def of_run(cls, run: Run) -> "Walk":
        return cls(chain_name(run.pk), run.hash)

    def follows(self, record: Record, *, may_jump: bool = False) -> Misstep | None:
        """Why the record is not the next link (None: it is): it takes the next seq and links to the last
        hash. With may_jump, a record further on follows records left out on purpose: the walk moves to
        the place the record names (its seq less one, its prev_hash) before the check."""
        if may_jump and record.seq > self.seq + 1:
            self.seq, self.hash = record.seq - 1, record.prev_hash
        if record.seq > self.seq + 1:
            return Misstep("seq", f"sequence gap: expected seq {self.seq + 1}")
        if record.seq == self.seq:
            return Misstep("seq", f"seq {record.seq} appears twice")
        if record.seq < self.seq:
            return Misstep("seq", f"seq {record.seq} comes after seq {self.seq}")
        if record.prev_hash != self.hash:
            return Misstep("prev_hash", "broken link to the previous record")
        return None

    def passed(self, record: Record) -> None:
        self.seq, self.hash = record.seq, record.hash

    def ends(self, seq: int, hash: str, *, may_stop_short: bool = False) -> Misstep | None:
        """Why a chain head at (seq, hash) is not where the walk ended (None: it is). With may_stop_short
        (a part of a chain), a head past the last record passed is beyond what the walk can check."""
        if may_stop_short and seq > self.seq:
            return None
        if seq != self.seq:
            why = f"sequence gap: the chain head is at seq {seq} but the last record is seq {self.seq}"
            return Misstep("seq", why)
        if hash != self.hash:
            return Misstep("hash", "the chain head's hash is not the last record's")
        return None
