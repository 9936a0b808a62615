"""The JSONL archive: lossless, one JSON object a line, each with its `type`.

Lines, in an order where every reference points back: the header (format, version, focus, which chains are
partial, chain heads, how to verify), the users and projects the records refer to by id, the global-chain
records the runs need (their agents, the runs themselves, notes on those agents) by global seq, then each
run's records by seq (oldest run first), its mutable state (a whole run only, where a room here keeps
one: provenance.exports.runstate) and its chain head. Every record line carries every column, its id, seq,
prev_hash and hash.

What an archive holds is its scope (provenance.exports.scope): a whole run (`export --run`), or a
candidate's ancestry closure, a part of each of its runs' chains. A part verifies record by record: an
import (provenance.exports.loader) recomputes each record's hash from its content (its references as the
hashes of records the archive holds), checks each link the archive holds (a record that follows a record
it holds names that record's hash as prev_hash; the first record of a run links to the run's hash), and
checks the run's chain head where the archive holds its last record. Where it does not, the head is a
claim the archive cannot prove: it is checked in the database the archive came from (`verify --run`) or
against the whole run's archive.

Why not carry the chain links of the records left out, (seq, prev_hash, hash) for each: a hash is checked
by recomputing it from the record's content, so a link without its content proves nothing (anyone can
write a hash that joins any two records), and the content is the whole run again (15 MB for a 4,897
candidate run, where the ancestry of its best was 32). The header names the partial chains (`partial`),
and the import records that the new run came from a part of a run.
"""

import json
from datetime import UTC, datetime
from decimal import Decimal

from django.utils import timezone

from provenance.exports import Export, runstate
from provenance.exports.facts import heads, verify_steps
from provenance.exports.scope import Scope
from provenance.membership import chain_name, chain_run
from provenance.models import Run

FORMAT, VERSION = "seedtrace-archive", 2  # 2: partial chains (a candidate's ancestry)
READABLE = (1, 2)  # version 1: every chain whole
CONTENT_TYPE = "application/x-ndjson"


def render(scope: Scope) -> Export:
    return Export("".join(lines(scope)).encode("ascii"), f"{scope.name}.jsonl", CONTENT_TYPE)


def lines(scope: Scope):
    for row in rows(scope):
        yield json.dumps(row, ensure_ascii=True, sort_keys=True, separators=(",", ":")) + "\n"


def rows(scope: Scope):
    # Oldest run first: a run's edges may name parents in runs of the same project started before it, and
    # every reference in the archive points back (an import reads it in one pass).
    ordered = sorted(scope.runs, key=lambda run: run.pk)
    by_run: dict[int, list] = {run.pk: [] for run in ordered}
    for record in scope.run_records():
        by_run[chain_run(record)].append(record)
    chain_heads = sorted(heads(scope), key=lambda head: head.run)
    partial = [] if scope.whole_run else [chain_name(run.pk) for run in ordered]
    yield {
        "type": "archive",
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().astimezone(UTC).isoformat(),
        "focus": None if scope.focus is None else {"candidate": scope.focus.pk, "hash": scope.focus.hash},
        "runs": [run.pk for run in scope.runs],
        "partial": partial,
        "chain_heads": [{"chain": h.chain, "seq": h.seq, "hash": h.hash} for h in chain_heads],
        "verify": [
            step
            for head in chain_heads
            for step in verify_steps(head, f"{scope.name}.jsonl", partial=bool(partial))
        ],
    }
    notes = [n for n in scope.annotations if chain_run(n) is None]
    global_records = sorted([*scope.agents, *scope.runs, *notes], key=lambda r: r.seq)
    yield from people(scope, [*scope.run_records(), *notes])
    for record in global_records:
        yield record_row(record)
    for run in ordered:
        for record in by_run[run.pk]:
            yield record_row(record)
        state = state_row(run) if scope.whole_run else None  # the state of the whole run, not of a part
        if state is not None:
            yield state
    for head in chain_heads:
        yield {"type": "chain_head", "chain": head.chain, "run": head.run, "seq": head.seq, "hash": head.hash}


def people(scope: Scope, records: list):
    """The user and project lines: every account and project the records refer to."""
    users = {a.user for a in scope.agents if a.user_id}
    users |= {r.started_by for r in scope.runs if r.started_by_id}
    users |= {note.author for note in records if getattr(note, "author_id", None)}
    for user in sorted(users, key=lambda u: u.pk):
        yield {
            "type": "user",
            "id": user.pk,
            "username": user.get_username(),
            "first_name": user.first_name,
            "last_name": user.last_name,
        }
    for project in sorted({run.project for run in scope.runs}, key=lambda p: p.pk):
        yield {
            "type": "project",
            "id": project.pk,
            "name": project.name,
            "slug": project.slug,
            "description": project.description,
        }


def record_row(record) -> dict:
    row = {"type": record._meta.model_name}
    for field in record._meta.concrete_fields:
        row[field.attname] = plain(getattr(record, field.attname))
    return row


def state_row(run: Run) -> dict | None:
    """The run's mutable state (provenance.exports.runstate); None where no room here keeps one."""
    values = runstate.values(run)
    if values is None:
        return None
    return {"type": "run_state", **{attname: plain(value) for attname, value in values.items()}}


def plain(value):
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    return value
