"""Import a JSONL archive (provenance.exports.archive) into this database, all or nothing.

Each record is rebuilt from its line, its hash recomputed (provenance.chain.content_hash) and compared with
the stored one before it is inserted with its original seq, prev_hash, hash and recorded_at: the triggers
only refuse changes, and nothing is changed. A record already here (same hash) is skipped, so importing an
archive twice adds nothing. Everything happens in one transaction: a refused line leaves nothing behind.

Ids. Hashes refer to other records by hash, so record ids may differ between databases: a record keeps its
archived id when that id is free here, and otherwise gets a new one (references, prompt slots and note
targets are mapped; ids inside JSON payloads such as run events' stay as archived, since they are hashed).
Hashes refer to users and projects by id, so those keep their ids: one is reused when a user (project) with
that id and the same username (slug) exists, created with that id when both are free, and otherwise the
import is refused. The global chain is shared by every project: an archive holds only the global records
its runs need, with their original positions; a position held here by another record is refused.
"""

import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.management.color import no_style
from django.db import IntegrityError, connection, transaction
from django.utils.dateparse import parse_datetime

from provenance.chain import RECORD_TYPES, Hashes, content_hash
from provenance.exports.archive import FORMAT, VERSION
from provenance.models import (
    RECORD_MODELS,
    Agent,
    Annotation,
    AnnotationHead,
    ChainHead,
    ImportedGap,
    Project,
    Record,
    Run,
    RunState,
)


class ArchiveError(Exception):
    def __init__(self, line: int | None, message: str):
        self.line = line
        super().__init__(f"line {line}: {message}" if line else message)


@dataclass
class Report:
    added: dict[str, int] = field(default_factory=dict)
    present: int = 0
    runs: dict[int, int] = field(default_factory=dict)  # archived run id → id here
    heads: list[tuple[str, int, str]] = field(default_factory=list)  # (chain here, seq, hash)

    @property
    def total(self) -> int:
        return sum(self.added.values())


def load(lines: Iterable[bytes | str]) -> Report:
    loader = _Loader()
    with transaction.atomic():
        number = 0
        for number, line in enumerate(lines, 1):
            if isinstance(line, bytes):
                try:
                    line = line.decode("utf-8")
                except UnicodeDecodeError:
                    raise ArchiveError(number, "not UTF-8") from None
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as error:
                raise ArchiveError(number, f"not JSON ({error})") from None
            if not isinstance(row, dict) or not isinstance(row.get("type"), str):
                raise ArchiveError(number, "not an object with a type")
            try:
                loader.take(row)
            except ArchiveError:
                raise
            except (KeyError, TypeError, ValueError) as error:
                raise ArchiveError(
                    number, f"malformed {row['type']} ({type(error).__name__}: {error})"
                ) from None
            finally:
                loader.line = number + 1
        if number == 0:
            raise ArchiveError(None, "the archive is empty")
        loader.finish()
        try:
            with transaction.atomic():  # foreign keys are checked here on PostgreSQL (deferred)
                connection.check_constraints()
        except IntegrityError as error:
            raise ArchiveError(None, f"the archive's references do not hold: {error}") from None
    if connection.vendor == "postgresql" and loader.report.total > 1000:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics for the lineage queries (provenance.lineage)
    return loader.report


class _Loader:
    def __init__(self):
        self.line = 1
        self.report = Report()
        self.header = None
        self.ids: dict[tuple[str, int], int] = {}  # (type, archived id) → id here, users and projects too
        self.hashes = Hashes()
        self.chains: dict[str, tuple[int, str]] = {}  # chain here → (seq, hash) of the last record read
        self.states: list[dict] = []
        self.heads: list[dict] = []
        self.global_top: tuple[int, str] = (0, "")
        self.global_links: list[tuple[int, str]] = []  # (seq, prev_hash) of the global records read

    def fail(self, message: str):
        raise ArchiveError(self.line, message)

    def take(self, row: dict) -> None:
        kind = row["type"]
        if self.header is None:
            if kind != "archive" or row.get("format") != FORMAT:
                self.fail(f"not a {FORMAT} file (its first line is no archive header)")
            if row.get("version") != VERSION:
                self.fail(f"archive version {row.get('version')!r}; this Seedtrace reads version {VERSION}")
            self.header = row
        elif kind == "user":
            self.user(row)
        elif kind == "project":
            self.project(row)
        elif kind in RECORD_TYPES:
            self.record(RECORD_TYPES[kind], row)
        elif kind == "run_state":
            self.states.append(dict(row, line=self.line))
        elif kind == "chain_head":
            self.heads.append(dict(row, line=self.line))
        else:
            self.fail(f"unknown line type {kind!r}")

    # Users and projects keep their ids: hashes name them by id ----------------------------------------

    def user(self, row: dict) -> None:
        User = get_user_model()
        here = User.objects.filter(pk=row["id"]).first()
        if here is None:
            if User.objects.filter(**{User.USERNAME_FIELD: row["username"]}).exists():
                self.fail(
                    f"user {row['username']!r} exists here with another id than {row['id']}: "
                    "records name users by id"
                )
            here = User(pk=row["id"], first_name=row["first_name"], last_name=row["last_name"])
            setattr(here, User.USERNAME_FIELD, row["username"])
            here.set_unusable_password()
            here.save()
            self.count("user")
        elif here.get_username() != row["username"]:
            self.fail(
                f"user id {row['id']} is {here.get_username()!r} here, not {row['username']!r}: "
                "import into an empty database"
            )
        self.ids["user", row["id"]] = here.pk

    def project(self, row: dict) -> None:
        here = Project.objects.filter(pk=row["id"]).first()
        if here is None:
            if Project.objects.filter(slug=row["slug"]).exists():
                self.fail(
                    f"project {row['slug']!r} exists here with another id than {row['id']}: "
                    "records name projects by id"
                )
            here = Project.objects.create(
                pk=row["id"], name=row["name"], slug=row["slug"], description=row["description"]
            )
            self.count("project")
        elif here.slug != row["slug"]:
            self.fail(
                f"project id {row['id']} is {here.slug!r} here, not {row['slug']!r}: "
                "import into an empty database"
            )
        self.ids["project", row["id"]] = here.pk

    # Records ------------------------------------------------------------------------------------------

    def record(self, model: type[Record], row: dict) -> None:
        kind, archived = model._meta.model_name, row["id"]
        record = model()
        for f in model._meta.concrete_fields:
            if f.primary_key:
                continue
            value = row[f.attname]
            if f.is_relation:
                target = "user" if f.related_model is get_user_model() else f.related_model._meta.model_name
                if value is not None:
                    value = self.here(target, value, f.name)
            elif value is not None:
                value = (
                    parse_datetime(value) if f.get_internal_type() == "DateTimeField" else f.to_python(value)
                )
            setattr(record, f.attname, value)
        if kind == "prompt":
            record.slots = [
                {**s, "candidate": self.here("candidate", s["candidate"], "slot")} for s in record.slots
            ]
        elif kind == "annotation":
            record.target_id = self.here(record.target_type, record.target_id, "target")
        if content_hash(record, self.hashes) != row["hash"]:
            self.fail(f"{kind} {archived}: its content does not match its hash {row['hash'][:12]}…")
        self.link(record)
        existing = model.objects.filter(hash=record.hash).values_list("pk", flat=True).first()
        if existing is not None:
            self.report.present += 1
        else:
            self.check_free_position(model, record)
            if not model.objects.filter(pk=archived).exists():
                record.pk = archived
            model.objects.bulk_create([record])
            existing = record.pk
            self.count(kind)
            self.after_insert(record)
        self.ids[kind, archived] = existing
        self.hashes.known[model, existing] = record.hash
        if kind == "run":
            self.report.runs[archived] = existing

    def here(self, kind: str, archived: int, what: str) -> int:
        pk = self.ids.get((kind, archived))
        if pk is None:
            self.fail(f"{what} refers to {kind} {archived}, which no earlier line of the archive holds")
        return pk

    def link(self, record: Record) -> None:
        """Check the record's place on its chain: a run's chain is whole and in order; the global chain may
        have gaps (the archive holds only what its runs need), but is in order."""
        if isinstance(record, Agent | Run) or (isinstance(record, Annotation) and record.run_id is None):
            if record.seq <= self.global_top[0]:
                self.fail(f"global chain seq {record.seq} comes after seq {self.global_top[0]}")
            self.global_top = (record.seq, record.hash)
            self.global_links.append((record.seq, record.prev_hash))
            return
        chain = f"run:{record.run_id}"
        seq, head = self.chains.get(chain) or self.genesis(record.run_id)
        if record.seq != seq + 1 or record.prev_hash != head:
            self.fail(f"{record._meta.model_name} at seq {record.seq} does not follow seq {seq} of {chain}")
        self.chains[chain] = (record.seq, record.hash)

    def genesis(self, run_id: int) -> tuple[int, str]:
        return 0, self.hashes(Run, run_id)

    def check_free_position(self, model: type[Record], record: Record) -> None:
        if isinstance(record, Agent):
            if Agent.objects.filter(identity=record.identity).exists():
                self.fail(f"agent {record.name!r} exists here with another history (another hash)")
        if isinstance(record, Agent | Run):
            for other in (Agent, Run):
                if other.objects.filter(seq=record.seq).exists():
                    self.fail(
                        f"global chain seq {record.seq} is held here by another record: this database "
                        "has its own history; import into an empty database"
                    )

    def after_insert(self, record: Record) -> None:
        if isinstance(record, Run):
            ChainHead.objects.get_or_create(name=f"run:{record.pk}", defaults={"seq": 0, "hash": record.hash})
        elif isinstance(record, Annotation):
            if record.previous_id is None:
                AnnotationHead.objects.create(
                    first=record, current=record, target_type=record.target_type, target_id=record.target_id
                )
            else:
                AnnotationHead.objects.filter(current_id=record.previous_id).update(current=record)

    def mark_gaps(self) -> None:
        """Leave a note for verify wherever an imported global record's predecessor is not here."""
        present: dict[int, str] = {}
        for model in (Agent, Run):
            present.update(model.objects.values_list("seq", "hash"))
        present.update(Annotation.objects.filter(run__isnull=True).values_list("seq", "hash"))
        for seq, prev_hash in self.global_links:
            if seq > 1 and present.get(seq - 1) != prev_hash:
                ImportedGap.objects.get_or_create(chain=ChainHead.GLOBAL, seq=seq,
                                                  defaults={"prev_hash": prev_hash})

    def count(self, kind: str) -> None:
        self.report.added[kind] = self.report.added.get(kind, 0) + 1

    # The end: chain heads, run states, sequences ---------------------------------------------------------

    def finish(self) -> None:
        if self.header is None:
            self.fail("no archive header")
        promised = {(h["chain"], h["seq"], h["hash"]) for h in self.header["chain_heads"]}
        found = {(h["chain"], h["seq"], h["hash"]) for h in self.heads}
        if promised != found:
            raise ArchiveError(
                None, "the chain heads at the end differ from the header's: the archive is cut"
            )
        for head in self.heads:
            self.line = head["line"]
            run = self.here("run", head["run"], "chain head")
            name = f"run:{run}"
            seq, last = self.chains.get(name) or self.genesis(run)
            if (seq, last) != (head["seq"], head["hash"]):
                self.fail(
                    f"{head['chain']} should end at seq {head['seq']} {head['hash'][:12]}…, "
                    f"its records end at seq {seq}: the archive is incomplete"
                )
            ChainHead.objects.filter(name=name, seq__lt=seq).update(seq=seq, hash=last)
            self.report.heads.append((name, seq, last))
        for state in self.states:
            self.line = state["line"]
            self.state(state)
        self.mark_gaps()
        if self.global_top[0]:
            top, head = self.global_top
            ChainHead.objects.get_or_create(name=ChainHead.GLOBAL)
            ChainHead.objects.filter(name=ChainHead.GLOBAL, seq__lt=top).update(seq=top, hash=head)
        models = [*RECORD_MODELS, Project, get_user_model()]
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(sql)

    def state(self, row: dict) -> None:
        run = self.here("run", row["run_id"], "run state")
        if RunState.objects.filter(run_id=run).exists():
            return  # the run was here already: its state is this database's
        values = {}
        for f in RunState._meta.concrete_fields:
            if f.attname in row and f.name != "run":
                value = row[f.attname]
                if f.is_relation and value is not None:
                    value = self.here("candidate", value, "best candidate")
                elif value is not None and f.get_internal_type() == "DateTimeField":
                    value = parse_datetime(value)
                values[f.attname] = value
        RunState.objects.update_or_create(run_id=run, defaults=values)
