"""A corrupted line is refused with its line number, and nothing of the archive is imported."""

import json

import pytest
from django.core.management import CommandError, call_command

from provenance.exports import export
from tests.exports.archives import snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines(story, other_project):
    # Imported by bob into his own project (an import always makes a new run, wherever the archive is from).
    return export("jsonl", run=story.run.pk).content.splitlines(keepends=True)


def line_of(lines, kind: str, nth: int = 0) -> int:
    found = [i for i, line in enumerate(lines) if json.loads(line)["type"] == kind]
    return found[nth]


def refused(tmp_path, lines) -> str:
    path = tmp_path / "archive.jsonl"
    path.write_bytes(b"".join(lines))
    before = snapshot()
    with pytest.raises(CommandError) as error:
        call_command("import", str(path), "--project", "doublebox", "--user", "bob")
    assert snapshot() == before  # no record, run, agent, project or user more; no chain moved
    return str(error.value)


def edited(line: bytes, **changes) -> bytes:
    return (json.dumps({**json.loads(line), **changes}) + "\n").encode()


def test_a_changed_program_is_refused_at_its_line(tmp_path, lines):
    i = line_of(lines, "candidate", 2)
    lines[i] = edited(lines[i], source="def keep(seed):\n    return True\n")
    assert f"line {i + 1}:" in refused(tmp_path, lines)


def test_a_changed_hash_breaks_the_chain_at_the_next_line(tmp_path, lines):
    i = line_of(lines, "evaluation", 0)
    lines[i] = edited(lines[i], score=-1)
    assert f"line {i + 1}: evaluation" in refused(tmp_path, lines)


def test_a_line_that_is_not_json_is_refused(tmp_path, lines):
    i = line_of(lines, "edge", 0)
    lines[i] = lines[i][:40] + b"\n"
    assert f"line {i + 1}: not JSON" in refused(tmp_path, lines)


def test_a_missing_record_is_refused(tmp_path, lines):
    i = line_of(lines, "candidate", 1)
    del lines[i]
    message = refused(tmp_path, lines)
    assert f"line {i + 1}:" in message


def test_a_cut_archive_is_refused(tmp_path, lines):
    message = refused(tmp_path, lines[: line_of(lines, "annotation", 1)])
    assert "cut" in message or "incomplete" in message
