"""Whatever is done to a real archive (fields replaced by random JSON, lines dropped, doubled or swapped,
bytes flipped, with or without re-hashing everything afterwards), an import either succeeds and verifies,
or is refused with an ArchiveError and leaves nothing behind; never another exception."""

import pytest
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from provenance.exports.loader import ArchiveError, load
from provenance.verify import verify
from tests.exports.archives import dump, rehash, rows_of, snapshot

pytestmark = pytest.mark.django_db

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)
ALIKE = {
    int: st.integers(min_value=-2, max_value=12),
    str: st.sampled_from(["", "x", "person", "human_edit", "run", "agent", "failed", "v0"]) | st.text(),
    float: st.floats(min_value=-200, max_value=200),
    bool: st.booleans(),
}
HOW = ["alike", "alike", "replace", "remove key", "type", "drop", "double", "swap"]
KINDS = ["archive", "user", "project", "agent", "run", "candidate", "edge", "annotation", "run_state", "x"]


@st.composite
def edited(draw, rows: list[dict]) -> bytes:
    rows = [dict(row) for row in rows]
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(rows) - 1))
        how = draw(st.sampled_from(HOW))
        if how in ("alike", "replace", "remove key"):
            key = draw(st.sampled_from(sorted(rows[i])))
            if how == "alike":  # a value of the same JSON type: gets past the type checks, into the ledger's
                rows[i][key] = draw(ALIKE.get(type(rows[i][key]), JSON))
            elif how == "replace":
                rows[i][key] = draw(JSON)
            else:
                del rows[i][key]
        elif how == "type":
            rows[i]["type"] = draw(st.sampled_from(KINDS))
        elif how == "drop" and len(rows) > 1:
            del rows[i]
        elif how == "double":
            rows.insert(i, dict(rows[i]))
        elif how == "swap":
            j = draw(st.integers(0, len(rows) - 1))
            rows[i], rows[j] = rows[j], rows[i]
    if draw(st.booleans()):
        try:
            rows = rehash(rows)  # the attacker's tool: it gives up on what it cannot read
        except Exception:  # noqa: BLE001 - then the archive stays as edited
            pass
    data = bytearray(dump(rows))
    for _ in range(draw(st.integers(0, 2))):
        data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data)


class RolledBack(Exception):
    pass


def test_an_import_either_verifies_or_is_refused_whole(story, other_project, bob):
    rows = rows_of(story.run)
    outcomes = {"imported": 0, "refused": 0}

    @settings(max_examples=150)
    @given(edited(rows))
    def attempt(data: bytes):
        before = snapshot()
        try:
            with transaction.atomic():
                report = load(data.splitlines(keepends=True), project=other_project, user=bob)
                reports = [verify(run.pk)[0] for run in report.runs.values()] + verify()[:1]
                assert all(r.intact for r in reports), [str(r.mismatch) for r in reports if not r.intact]
                raise RolledBack  # keep each example apart
        except RolledBack:
            outcomes["imported"] += 1
        except ArchiveError as error:
            assert "\n" not in str(error)
            outcomes["refused"] += 1
        assert snapshot() == before

    attempt()
    assert outcomes["refused"] > 0 and outcomes["imported"] > 0, outcomes
