import datetime as dt
import hashlib
from decimal import Decimal

import pytest

from provenance.canonical import ast_hash, canonical_json, digest
from provenance.chain import Hashes, record_content
from provenance.errors import CanonicalError
from provenance.models import LLMCall


def test_key_order_does_not_change_the_hash():
    assert digest({"b": 1, "a": {"y": [1, 2], "x": None}}) == digest({"a": {"x": None, "y": [1, 2]}, "b": 1})


def test_the_form_is_compact_sorted_utf8():
    assert (
        canonical_json({"é": 'ü\n"', "a": [True, False, None, 1, 0.5]})
        == '{"a":[true,false,null,1,0.5],"é":"ü\\n\\""}'
    )


def test_a_known_value_keeps_its_known_hash():
    # if this changes, every stored hash changes: that is a new ledger format, not a refactoring
    value = {
        "kind": "candidate",
        "source": "def keep(seed):\n    return seed.r <= 6\n",
        "island": 0,
        "ε": 1.5,
    }
    assert digest(value) == hashlib.sha256(canonical_json(value).encode()).hexdigest()
    assert digest(value) == "a22f662dae43c8a17f33c04c81a687dc292507472d739d1451252f7e22d786ad"


def test_unicode_is_kept_as_written():
    # no normalisation: NFC and NFD spellings are different text, so different records
    assert digest("é") != digest("e\u0301")
    assert canonical_json("naïve ∑ 😀") == '"naïve ∑ 😀"'


@pytest.mark.parametrize(
    ("value", "form"),
    [
        (1.0, "1"),
        (-0.0, "0"),
        (1e16, "10000000000000000"),
        (0.1, "0.1"),
        (1e-7, "1e-07"),
        (2**70, str(2**70)),
    ],
)
def test_numbers_hash_as_the_database_gives_them_back(value, form):
    # jsonb gives 1e16 back as 10000000000000000: integral floats are written as integers
    assert canonical_json(value) == form


@pytest.mark.parametrize(
    "value", [float("nan"), float("inf"), "a\x00b", "\ud800", {1: "x"}, Decimal("1"), {1, 2}]
)
def test_values_without_a_canonical_form_are_refused(value):
    with pytest.raises(CanonicalError):
        digest(value)


def test_timestamps_are_written_in_utc_with_microseconds():
    call = LLMCall(
        request_model="m",
        seq=1,
        prev_hash="",
        cost=Decimal("0.0100"),
        recorded_at=dt.datetime(2025, 5, 1, 14, 0, 0, 5, tzinfo=dt.timezone(dt.timedelta(hours=2))),
    )
    content = record_content(call, Hashes())
    assert content["recorded_at"] == "2025-05-01T12:00:00.000005Z"
    assert content["cost"] == "0.0100"
    assert "prompt" not in content  # None is left out


def test_the_ast_hash_ignores_layout_comments_and_docstrings():
    plain = "def keep(seed):\n    return seed.r <= 6 and seed.s <= 2\n"
    dressed = (
        'def keep(seed):\n    """Laporta."""\n    # the usual rule\n'
        "    return (seed.r <= 6\n            and seed.s <= 2)\n"
    )
    assert ast_hash(plain) == ast_hash(dressed)
    assert ast_hash(plain) != ast_hash(plain.replace("6", "7"))
    assert ast_hash("def keep(seed) return") == ""
