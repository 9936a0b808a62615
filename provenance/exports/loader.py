"""Import a JSONL archive (provenance.exports.archive) as new runs of a project the importer owns; all or
nothing (one transaction: a refused line leaves nothing behind).

An archive is not trusted: anyone can edit one and recompute every hash. So an import
1. reads each line within bounds and checks its columns (provenance.exports.reading, .rows);
2. checks each record in the archive's own terms: its hash recomputed from its content (references by the
   archived hashes of records the archive itself holds, never records of this database), its place on its
   archived chain (seq, prev_hash), and at the end each chain against the heads the archive claims, so an
   archive changed without re-hashing is refused at the changed line. A chain the header names partial
   (a candidate's ancestry: provenance.exports.archive says why) is checked at the links it holds, and
   against its head where it holds the chain's last record; its focus candidate must be held, as hashed;
3. re-records it through the ledger like any record (provenance.exports.recording): always a new run, in
   the importer's project, authors as imported names, this server's settings. Nothing it holds can append
   to, move or attribute anything already here; what the import changed is the new run's last record.
Importing the same archive twice gives two independent runs (Report.earlier names the earlier imports).
"""

import sys
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import DataError, IntegrityError, connection, transaction

from provenance.chain import content_hash
from provenance.errors import RecordError
from provenance.exports import runstate
from provenance.exports.archive import FORMAT, READABLE
from provenance.exports.reading import ArchiveError, Reader
from provenance.exports.recording import Recorder
from provenance.exports.rows import (
    CHAIN_HEAD,
    HEADER,
    PROJECT,
    USER,
    ArchiveHashes,
    columns,
    fail,
    hex_hash,
    integer,
    plain,
)
from provenance.membership import (
    GLOBAL,
    GLOBAL_TABLES,
    RECORD_TYPES,
    RUN_TABLES,
    Reference,
    Walk,
    chain_name,
    chain_run,
    reference,
    run_of,
    target_of,
)
from provenance.models import Candidate, ChainHead, Import, Membership, Project, Record, Run

__all__ = ["ArchiveError", "ImportRefused", "Report", "load"]

SAME_RUN_EXEMPT = {("edge", "parent_id")}  # a parent may come from another run of the project


class ImportRefused(Exception):
    """The importer may not import into that project (before anything is read or written)."""


@dataclass
class Report:
    runs: dict[int, Run] = field(default_factory=dict)  # archived run id → the new run
    heads: list[tuple[str, int, str]] = field(default_factory=list)  # (chain here, seq, hash)
    added: dict[str, int] = field(default_factory=dict)
    records: int = 0  # record lines in the archive
    sha256: str = ""
    earlier: list[Import] = field(default_factory=list)  # earlier imports of the same file

    @property
    def total(self) -> int:
        return sum(self.added.values())


def check_owner(project: Project, user) -> None:
    role = Membership.objects.filter(project=project, user=user).values_list("role", flat=True).first()
    if role != Membership.Role.OWNER:
        held = f"{'an' if role[0] in 'aeiou' else 'a'} {role} of it" if role else "not a member"
        raise ImportRefused(
            f"{user.get_username()} is {held}: only an owner of project {project.slug!r} may import into it"
        )


def load(source, *, project: Project, user, name: str = "") -> Report:
    """Import the archive (a binary file, or an iterable of lines) into `project` as `user`, an owner."""
    check_owner(project, user)
    reader = Reader(source)
    loader = _Loader(project, user)
    with transaction.atomic():
        try:
            for number, row in reader:
                loader.line = number
                _blamed(number, row["type"], loader.take, row)
            report = _blamed(reader.lines, "archive", loader.finish, reader, name)
        except BaseException:
            loader.recorder.release(*sys.exc_info())  # a held chain must not outlive a refused import
            raise
        try:
            with transaction.atomic():  # foreign keys are checked here on PostgreSQL (deferred)
                connection.check_constraints()
        except IntegrityError as error:
            raise ArchiveError(None, f"the archive's references do not hold: {error}") from None
    if connection.vendor == "postgresql" and report.total > 1000:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics for the ancestry queries (provenance.ancestry)
    return report


def _blamed(line: int, kind: str, step, *args):
    """Run one step; whatever it refuses becomes an ArchiveError naming the line (never a traceback)."""
    try:
        return step(*args)
    except ArchiveError as error:
        if error.line is None and line:
            raise ArchiveError(line, error.reason, error.field or kind) from None
        raise
    except RecordError as error:  # a link rule, a secret, a value with no canonical form
        raise ArchiveError(line, str(error), kind) from None
    except (IntegrityError, DataError) as error:
        raise ArchiveError(line, f"the database refused it ({str(error).splitlines()[0]})", kind) from None
    except (KeyError, TypeError, ValueError, ArithmeticError, RecursionError) as error:
        raise ArchiveError(line, f"malformed ({type(error).__name__}: {error})", kind) from None


class _Loader:
    def __init__(self, project: Project, user):
        self.line = 0
        self.header: dict | None = None
        self.users: dict[int, str] = {}  # archived id → username
        self.projects: dict[int, str] = {}  # archived id → slug
        self.recorder = Recorder(project, user, self.users, self.projects)
        self.hashes = ArchiveHashes()  # (model, archived id) → archived hash
        self.seen: set[Reference] = set()
        self.run_of: dict[Reference, int | None] = {}  # record → its archived run (None: of no run)
        self.notes: dict[int, tuple[str, int, int]] = {}  # archived note → (target kind, target id, version)
        self.chains: dict[int, Walk] = {}  # archived run → the walk along its chain so far
        self.global_walk = Walk(GLOBAL)
        self.partial: set[str] = set()  # chains the archive holds a part of
        self.states: set[int] = set()
        self.heads: dict[int, tuple[int, dict]] = {}  # archived run → (line, chain head)
        self.records = 0

    def take(self, row: dict) -> None:
        kind = row["type"]
        if self.header is None:
            return self.read_header(row)
        lines = {"user": self.user, "project": self.project, "run_state": self.state, "chain_head": self.head}
        if kind in lines:
            lines[kind](row)
        elif kind in RECORD_TYPES:
            self.record(RECORD_TYPES[kind], row)
        else:
            fail(self.line, "type", f"unknown line type {kind[:40]!r}")

    # Lines that are no records ------------------------------------------------------------------------------

    def read_header(self, row: dict) -> None:
        if row["type"] != "archive" or row.get("format") != FORMAT:
            fail(self.line, "type", f"not a {FORMAT} file: its first line is no archive header")
        header = plain(row, HEADER, self.line, optional=("focus", "partial"))
        if header["version"] not in READABLE:
            readable = ", ".join(map(str, READABLE))
            fail(self.line, "archive.version", f"this Seedtrace reads versions {readable}")
        for i, run in enumerate(header["runs"]):
            integer(run, self.line, f"archive.runs[{i}]", 1, 2**63 - 1)
        chains = {chain_name(run) for run in header["runs"]}
        for i, chain in enumerate(header["partial"] or []):
            if chain not in chains:
                fail(self.line, f"archive.partial[{i}]", "the chain of a run the header names")
            self.partial.add(chain)
        for i, head in enumerate(header["chain_heads"]):
            if not isinstance(head, dict):
                fail(self.line, f"archive.chain_heads[{i}]", "an object (chain, seq, hash)")
            where = f"archive.chain_heads[{i}]"
            head = plain({**head, "type": where}, CHAIN_HEAD, self.line, optional=("run",))
            hex_hash(head["hash"], self.line, f"archive.chain_heads[{i}].hash")
        self.header = header

    def user(self, row: dict) -> None:
        user = plain(row, USER, self.line)
        if user["id"] in self.users:
            fail(self.line, "user.id", f"user {user['id']} appears twice")
        if not user["username"]:
            fail(self.line, "user.username", "empty")
        self.users[user["id"]] = user["username"]

    def project(self, row: dict) -> None:
        project = plain(row, PROJECT, self.line)
        if project["id"] in self.projects:
            fail(self.line, "project.id", f"project {project['id']} appears twice")
        self.projects[project["id"]] = project["slug"]

    def state(self, row: dict) -> None:
        if not runstate.kept():
            return  # no room here keeps run state: the line has nowhere to go
        values = columns(runstate.RunState, row, self.line, skip={"updated_at"})
        run = values["run_id"]
        if run not in self.chains:
            fail(self.line, "run_state.run_id", f"refers to run {run}, which no earlier line holds")
        if run in self.states:
            fail(self.line, "run_state.run_id", f"a second state for run {run}")
        best = values["best_candidate_id"]
        if best is not None and self.run_of.get(("candidate", best)) != run:
            fail(self.line, "run_state.best_candidate_id", f"candidate {best} is no candidate of run {run}")
        self.states.add(run)
        self.recorder.state(run, values)

    def head(self, row: dict) -> None:
        head = plain(row, CHAIN_HEAD, self.line)
        hex_hash(head["hash"], self.line, "chain_head.hash")
        if head["run"] not in self.chains:
            fail(self.line, "chain_head.run", f"refers to run {head['run']}, which no earlier line holds")
        if head["chain"] != chain_name(head["run"]):
            fail(self.line, "chain_head.chain", f"run {head['run']}'s chain is {chain_name(head['run'])}")
        if head["run"] in self.heads:
            fail(self.line, "chain_head.run", f"a second chain head for run {head['run']}")
        self.heads[head["run"]] = (self.line, head)

    # Records: checked in the archive's own terms, then re-recorded here -----------------------------------

    def record(self, model: type[Record], row: dict) -> None:
        kind = model._meta.model_name
        values = columns(model, row, self.line)
        archived_id = values.pop("id")
        record = model(id=archived_id, **values)  # as archived: its references are archived ids
        if reference(record) in self.seen:
            fail(self.line, f"{kind}.id", f"{kind} {archived_id} appears twice")
        self.check_references(model, values)
        if kind == "annotation":
            self.check_note(record)
        if content_hash(record, self.hashes) != values["hash"]:
            fail(self.line, f"{kind}.hash", f"{kind} {archived_id}: its content does not match its hash")
        self.place(record)
        self.seen.add(reference(record))
        self.hashes.known[model, archived_id] = values["hash"]
        self.records += 1
        self.recorder.record(record, values)

    def check_references(self, model: type[Record], values: dict) -> None:
        """Every reference is to a line read before (records by archived id; users and projects too), and a
        record's references stay inside its run (an edge's parent may be in another run of the archive)."""
        kind = model._meta.model_name
        for f in model._meta.concrete_fields:
            value = values.get(f.attname) if f.is_relation else None
            if value is None:
                continue
            where = f"{kind}.{f.attname}"
            if f.related_model is Project:
                known, target = value in self.projects, "project"
            elif f.related_model is get_user_model():
                known, target = value in self.users, "user"
            else:
                target = f.related_model._meta.model_name
                known = (target, value) in self.seen
            if not known:
                fail(self.line, where, f"refers to {target} {value}, which no earlier line holds")
            if model not in GLOBAL_TABLES and f.related_model in RUN_TABLES:
                self.check_same_run(kind, where, values["run_id"], target, value)
        if kind == "prompt":
            self.check_slots(values)

    def check_same_run(self, kind: str, where: str, run: int | None, target: str, value: int) -> None:
        if (kind, where.split(".")[1]) not in SAME_RUN_EXEMPT and self.run_of.get((target, value)) != run:
            fail(self.line, where, f"{target} {value} is a record of another run")

    def check_slots(self, values: dict) -> None:
        for i, slot in enumerate(values["slots"]):
            where = f"prompt.slots[{i}]"
            if not isinstance(slot, dict) or set(slot) != {"slot", "candidate"}:
                fail(self.line, where, 'an object {"slot": …, "candidate": …}')
            if not isinstance(slot["slot"], str) or len(slot["slot"]) > 20:
                fail(self.line, f"{where}.slot", "a slot name of at most 20 characters")
            candidate = integer(slot["candidate"], self.line, f"{where}.candidate", 1, 2**63 - 1)
            if ("candidate", candidate) not in self.seen:
                fail(self.line, f"{where}.candidate", f"refers to candidate {candidate}, which no line holds")
            self.check_same_run("prompt", f"{where}.candidate", values["run_id"], "candidate", candidate)

    def check_note(self, note: Record) -> None:
        """A note is on a record the archive holds, on the chain of that record's run, versioned in order."""
        on = target_of(note)
        if on[0] not in RECORD_TYPES or on[0] == "annotation":
            fail(self.line, "annotation.target_type", f"a note is on a record, not on {on[0][:20]!r}")
        if on not in self.seen:
            fail(self.line, "annotation.target_id", f"refers to {on[0]} {on[1]}, which no line holds")
        if self.run_of[on] != chain_run(note):
            fail(self.line, "annotation.run_id", "a note is on the chain of its target's run")
        previous, version = note.previous_id, 1
        if previous is not None:
            if self.notes[previous][:2] != on:
                fail(self.line, "annotation.previous_id", f"note {previous} is a note on another record")
            version = self.notes[previous][2] + 1
        if note.version != version:
            fail(self.line, "annotation.version", f"version {version} here, not {note.version}")
        self.notes[note.pk] = (*on, version)

    def place(self, record: Record) -> None:
        """The record's place on its archived chain: a run's chain is whole and in order; the global chain
        (the archive holds only the global records its runs need) is in order, linked where it is whole."""
        run = chain_run(record)
        walk = self.global_walk if run is None else self.chains[run]
        misstep = walk.follows(record, may_jump=run is None or walk.name in self.partial)
        if misstep:
            fail(self.line, f"{record._meta.model_name}.{misstep.field}", f"{misstep.reason} ({walk.name})")
        walk.passed(record)
        self.run_of[reference(record)] = run_of(record)
        if isinstance(record, Run):
            self.chains[record.pk] = Walk.of_run(record)

    # The end: every chain as claimed, then the import's own records --------------------------------------

    def finish(self, reader: Reader, name: str) -> Report:
        if self.header is None:
            raise ArchiveError(None, "the archive is empty")
        if not self.chains:
            fail(1, "archive.runs", "the archive holds no run")
        for run, walk in self.chains.items():
            if run not in self.heads:
                fail(self.line, "chain_head", f"no chain head for {walk.name} at the end: the archive is cut")
            line, head = self.heads[run]
            misstep = walk.ends(head["seq"], head["hash"], may_stop_short=walk.name in self.partial)
            if misstep:
                why = f"{misstep.reason} ({walk.name}): the archive is cut or incomplete"
                fail(line, f"chain_head.{misstep.field}", why)
        self.check_focus()
        claimed = {(h["chain"], h["seq"], h["hash"]) for h in self.header["chain_heads"]}
        if claimed != {(h["chain"], h["seq"], h["hash"]) for _, h in self.heads.values()}:
            fail(1, "archive.chain_heads", "the heads at the end are not the header's: the archive is cut")
        recorder = self.recorder
        earlier = recorder.finish(self.header, reader.sha256, name, self.records)
        names = [chain_name(run.pk) for run in recorder.runs.values()]
        found = {h.name: (h.name, h.seq, h.hash) for h in ChainHead.objects.filter(name__in=names)}
        heads = [found[name] for name in names]
        added = {**recorder.added, "runevent": recorder.added.get("runevent", 0) + len(recorder.runs)}
        return Report(dict(recorder.runs), heads, added, self.records, reader.sha256, earlier)

    def check_focus(self) -> None:
        """A part of a run is the ancestry of its focus: the archive must hold that candidate, as hashed."""
        focus = self.header["focus"]
        if not self.partial or focus is None:
            return
        held = self.hashes.known.get((Candidate, focus.get("candidate")))
        if held is None or held != focus.get("hash"):
            fail(1, "archive.focus", "the archive does not hold the candidate whose ancestry it is")
