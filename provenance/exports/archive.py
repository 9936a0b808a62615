"""The JSONL archive: lossless, one JSON object a line, each with its `type`.

Lines, in an order where every reference points back: the header (format, version, focus, chain heads, how
to verify), the users and projects the records refer to by id, the global-chain records the runs need
(their agents, the runs themselves, notes on those agents) by global seq, then each run's whole chain by seq
(oldest run first), its mutable state (where a room here keeps one: provenance.exports.runstate) and its
chain head. Every record line carries every column, its id, seq, prev_hash and hash. A candidate's archive
holds the whole runs of its ancestry: an import checks each whole chain against its head, then re-records it
as a new run (manage.py import; provenance.exports.loader).
"""

import json
from datetime import UTC, datetime
from decimal import Decimal

from django.utils import timezone

from provenance.exports import Export, runstate
from provenance.exports.facts import heads, verify_steps
from provenance.exports.scope import Scope, run_scope
from provenance.membership import chain_run
from provenance.models import Run

FORMAT, VERSION = "seedtrace-archive", 1
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
    runs = [run_scope(run) for run in ordered] if not scope.whole_run else [scope]
    chain_heads = [head for part in runs for head in heads(part)]
    yield {
        "type": "archive",
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().astimezone(UTC).isoformat(),
        "focus": None if scope.focus is None else {"candidate": scope.focus.pk, "hash": scope.focus.hash},
        "runs": [run.pk for run in scope.runs],
        "chain_heads": [{"chain": h.chain, "seq": h.seq, "hash": h.hash} for h in chain_heads],
        "verify": [step for head in chain_heads for step in verify_steps(head, f"{scope.name}.jsonl")],
    }
    records = [record for part in runs for record in part.run_records()]
    agents = {a.pk: a for part in runs for a in part.agents}
    notes = {n.pk: n for part in runs for n in part.annotations if chain_run(n) is None}
    global_records = sorted([*agents.values(), *scope.runs, *notes.values()], key=lambda r: r.seq)
    users = {a.user for a in agents.values() if a.user_id} | {
        r.started_by for r in scope.runs if r.started_by_id
    }
    users |= {note.author for note in [*records, *notes.values()] if getattr(note, "author_id", None)}
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
    for record in global_records:
        yield record_row(record)
    for part in runs:
        for record in part.run_records():
            yield record_row(record)
        state = state_row(part.run)
        if state is not None:
            yield state
    for head in chain_heads:
        yield {"type": "chain_head", "chain": head.chain, "run": head.run, "seq": head.seq, "hash": head.hash}


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
