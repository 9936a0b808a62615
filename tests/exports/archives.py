"""Helpers for the import tests: an archive as rows to edit, the attacker's re-hashing tool, and a snapshot of
every table to show that a refused import left nothing behind."""

import json

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.utils.dateparse import parse_datetime

from provenance.chain import RECORD_TYPES, Hashes, content_hash
from provenance.exports import export
from provenance.models import ChainHead, Run


def rows_of(run) -> list[dict]:
    return [json.loads(line) for line in export("jsonl", run=run.pk).content.splitlines()]


def dump(rows: list[dict]) -> bytes:
    return b"".join(json.dumps(row, sort_keys=True).encode() + b"\n" for row in rows)


def archive_of(run, directory):
    """The run's JSONL archive, written as directory/run.jsonl (the name an import records)."""
    path = directory / "run.jsonl"
    path.write_bytes(dump(rows_of(run)))
    return path


def index(rows: list[dict], kind: str, nth: int = 0) -> int:
    return [i for i, row in enumerate(rows) if row["type"] == kind][nth]


def _global(row: dict) -> bool:
    return row["type"] in ("agent", "run") or (row["type"] == "annotation" and row.get("run_id") is None)


class _Known(Hashes):
    def __call__(self, model, pk):
        return self.known[model, pk]  # only the archive's own records: a KeyError otherwise


def _record(model, row: dict):
    """The record a line describes, with its archived ids (as the archive's own hashes see it)."""
    values = {}
    for f in model._meta.concrete_fields:
        value = row.get(f.attname)
        if value is not None and not f.is_relation and f.get_internal_type() == "DateTimeField":
            value = parse_datetime(value)
        elif value is not None and not f.is_relation:
            value = f.to_python(value)
        values[f.attname] = value
    values.pop("id")
    return model(**values)


def rehash(rows: list[dict]) -> list[dict]:
    """What an attacker does after editing an archive: every record's hash recomputed, every run chain
    relinked (seq, prev_hash), the chain heads (and the header's) moved. The result is self-consistent."""
    hashes, chains, top = _Known(), {}, None
    out = [dict(row) for row in rows]
    for row in out:
        model = RECORD_TYPES.get(row["type"])
        if model is None:
            continue
        if _global(row):
            if top and row["seq"] == top[0] + 1:
                row["prev_hash"] = top[1]
        else:
            row["seq"], row["prev_hash"] = chains[row["run_id"]][0] + 1, chains[row["run_id"]][1]
        row["hash"] = content_hash(_record(model, row), hashes)
        hashes.known[model, row["id"]] = row["hash"]
        if _global(row):
            top = (row["seq"], row["hash"])
            if model is Run:
                chains[row["id"]] = (0, row["hash"])
        else:
            chains[row["run_id"]] = (row["seq"], row["hash"])
    for row in out:
        if row["type"] == "chain_head":
            row["seq"], row["hash"] = chains[row["run"]]
    out[0]["chain_heads"] = [{"chain": f"run:{r}", "seq": s, "hash": h} for r, (s, h) in chains.items()]
    return out


def import_file(path, project: str, user: str) -> str:
    """`manage.py import` as a person types it; its output."""
    out = path.parent / "import.out"
    with open(out, "w") as stdout:
        call_command("import", str(path), "--project", project, "--user", user, stdout=stdout)
    return out.read_text()


def refused(path, project: str, user: str) -> str:
    """The import is refused with a CommandError, and every table is as it was: its message."""
    before = snapshot()
    with pytest.raises(CommandError) as error:
        import_file(path, project, user)
    assert snapshot() == before
    assert "Traceback" not in str(error.value)
    return str(error.value)


def snapshot() -> dict:
    """Rows in every table of the record store and of accounts, and where every chain ends."""
    counted = [m for m in apps.get_models() if m._meta.app_label in ("provenance", "auth", "evolution")]
    counts = {m._meta.label: m.objects.count() for m in counted}
    return {**counts, "heads": sorted(ChainHead.objects.values_list("name", "seq", "hash"))}
