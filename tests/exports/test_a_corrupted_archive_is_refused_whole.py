"""A corrupted line is refused with its line number, and nothing of the archive is imported."""

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from provenance.exports import export
from provenance.models import Agent, Candidate, Project, Run
from tests.exports.conftest import empty_database

pytestmark = pytest.mark.django_db


@pytest.fixture
def lines(story):
    archive = export("jsonl", run=story.run.pk).content.splitlines(keepends=True)
    empty_database()
    return archive


def line_of(lines, kind: str, nth: int = 0) -> int:
    found = [i for i, line in enumerate(lines) if json.loads(line)["type"] == kind]
    return found[nth]


def refused(tmp_path, lines) -> str:
    path = tmp_path / "archive.jsonl"
    path.write_bytes(b"".join(lines))
    with pytest.raises(CommandError) as error:
        call_command("import", str(path))
    assert not Candidate.objects.exists() and not Run.objects.exists() and not Agent.objects.exists()
    assert not Project.objects.exists() and not get_user_model().objects.exists()
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


def test_a_user_id_held_by_someone_else_is_refused(tmp_path, lines):
    i = line_of(lines, "user", 0)
    user = json.loads(lines[i])
    get_user_model().objects.create_user("mallory", id=user["id"])
    path = tmp_path / "archive.jsonl"
    path.write_bytes(b"".join(lines))
    with pytest.raises(CommandError, match=f"line {i + 1}: user id {user['id']} is 'mallory' here"):
        call_command("import", str(path))
    assert not Candidate.objects.exists()
