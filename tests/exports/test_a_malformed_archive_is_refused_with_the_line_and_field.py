"""A malformed archive is refused with one line that names the line and the field, never a traceback, and
nothing is imported: wrong types, out-of-range numbers, 200,000-deep JSON, a line over the cap, bad bytes."""

import json

import pytest
from django.core.management import execute_from_command_line
from django.db import connections

from tests.exports.archives import refused, rows_of, snapshot

pytestmark = pytest.mark.django_db


def line(row: dict) -> bytes:
    return json.dumps(row).encode() + b"\n"


def at(lines, kind: str, nth: int = 0) -> int:
    return [i for i, raw in enumerate(lines) if json.loads(raw)["type"] == kind][nth]


def edit(kind: str, nth: int = 0, **changes):
    def change(lines):
        i = at(lines, kind, nth)
        lines[i] = line({**json.loads(lines[i]), **changes})
        return i

    return change


def replace(kind: str, raw: bytes, nth: int = 0):
    def change(lines):
        i = at(lines, kind, nth)
        lines[i] = raw
        return i

    return change


def duplicate(kind: str):
    def change(lines):
        i = at(lines, kind, 1)
        lines.insert(i + 1, lines[i])
        return i + 1

    return change


def drop_header(lines):
    del lines[0]
    return 0


def empty(lines):
    lines.clear()
    return None


def raw_edit(kind: str, old: bytes, new: bytes):
    def change(lines):
        i = at(lines, kind)
        assert old in lines[i]
        lines[i] = lines[i].replace(old, new, 1)
        return i

    return change


MAX_LINE = 16 * 2**20  # the cap on a line (provenance.exports.reading.MAX_LINE)
DEEP = b"[" * 200_000 + b"]" * 200_000 + b"\n"
LONG = b'{"type": "prompt", "text": "' + b"x" * MAX_LINE + b'"}\n'
SCORE = b'"score": -120.0'

# name: (what is done to the archive, what the refusal says after "FILE: line N: ")
CASES = {
    "a string for an integer": (
        edit("candidate", island="3"),
        "candidate.island: an integer, not a JSON string",
    ),
    "a list for an object": (
        edit("candidate", params=[]),
        "candidate.params: a JSON object, not a JSON array",
    ),
    "an object for a string": (edit("prompt", text={}), "prompt.text: a string, not a JSON object"),
    "true for an integer": (
        edit("candidate", island=True),
        "candidate.island: an integer, not a JSON boolean",
    ),
    "a 31-digit id": (edit("candidate", id=10**30), "candidate.id: an integer from 1 to"),
    "a 31-digit seq": (edit("evaluation", seq=10**30), "evaluation.seq: an integer from 0 to"),
    "a negative count": (edit("evaluation", seeds=-1), "evaluation.seeds: an integer from 0 to 2147483647"),
    "200,000-deep JSON": (replace("edge", DEEP), "not JSON: nested deeper than 64"),
    "70-deep JSON in a field": (
        edit("candidate", params={"x": json.loads("[" * 70 + "]" * 70)}),
        "candidate.params.x",
    ),
    "a line over the cap": (replace("prompt", LONG), "the line is longer than 16 MiB"),
    "bytes that are not UTF-8": (raw_edit("candidate", b"def keep", b"def \xff\xfekeep"), "not UTF-8"),
    "a NUL byte": (raw_edit("candidate", b"def keep", b"def \x00keep"), "a NUL byte at column"),
    "an escaped NUL": (edit("candidate", source="def keep(seed):\x00"), "candidate.source: holds a NUL"),
    "a lone surrogate": (edit("candidate", source="keep \ud800"), "candidate.source: holds a lone surrogate"),
    "NaN": (raw_edit("evaluation", SCORE, b'"score": NaN'), "not JSON (NaN is not a JSON number)"),
    "1e999": (raw_edit("evaluation", SCORE, b'"score": 1e999'), "evaluation.score: a number too large"),
    "no header": (drop_header, "type: not a seedtrace-archive file"),
    "an unknown record type": (edit("candidate", type="wormhole"), "type: unknown line type 'wormhole'"),
    "an unknown field": (edit("candidate", backdoor=1), "candidate.backdoor: unknown field"),
    "a null field": (edit("edge", role=None), "edge.role: null where a value is required"),
    "an unknown choice": (
        edit("evaluation", verdict="great"),
        "evaluation.verdict: one of complete, incomplete",
    ),
    "a duplicate id": (duplicate("candidate"), "candidate.id: candidate"),
    "a naive timestamp": (
        edit("candidate", recorded_at="2025-01-01T00:00:00"),
        "candidate.recorded_at: a date",
    ),
    "a reference outside": (edit("evaluation", candidate_id=999), "evaluation.candidate_id: refers to"),
    "a bad hash": (edit("edge", hash="zz"), "edge.hash: a SHA-256 in 64 lower-case hex digits"),
    "an empty archive": (empty, "the archive is empty"),
}


@pytest.fixture
def lines(story):
    return [line(row) for row in rows_of(story.run)]


@pytest.mark.parametrize("change, expected", CASES.values(), ids=CASES.keys())
def test_it_is_refused_with_the_line_and_the_field(lines, other_project, bob, tmp_path, change, expected):
    index = change(lines)
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b"".join(lines))

    message = refused(path, "doublebox", "bob")

    where = f"{path}: line {index + 1}: " if index is not None else f"{path}: "
    assert message.startswith(where), message
    assert expected in message, message
    assert message.endswith("; nothing was imported")
    assert "\n" not in message and len(message) < 500 + len(str(path))


def test_the_command_exits_non_zero_with_one_line_and_no_traceback(
    lines, other_project, bob, tmp_path, capsys, monkeypatch
):
    lines[3] = b"[" * 200_000 + b"]" * 200_000 + b"\n"
    path = tmp_path / "deep.jsonl"
    path.write_bytes(b"".join(lines))
    before = snapshot()
    monkeypatch.setattr(connections, "close_all", lambda: None)  # the test's transaction stays open

    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(
            ["manage.py", "import", str(path), "--project", "doublebox", "--user", "bob", "--skip-checks"]
        )

    assert exited.value.code != 0
    err = capsys.readouterr().err
    assert f"{path}: line 4: not JSON: nested deeper" in err and "Traceback" not in err
    assert snapshot() == before


def test_a_huge_line_is_never_read_whole(lines, other_project, bob):
    from provenance.exports.loader import ArchiveError, load

    class Endless:
        """A 'file' whose second line never ends: the reader must stop after the cap."""

        def __init__(self):
            self.given = 0

        def readline(self, limit):
            self.given += 1
            return lines[0] if self.given == 1 else b"x" * limit

    source = Endless()
    with pytest.raises(ArchiveError, match="line 2: the line is longer than 16 MiB"):
        load(source, project=other_project, user=bob)
    assert source.given == 2
