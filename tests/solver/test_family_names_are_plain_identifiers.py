"""Momenta and invariants are named by an ASCII letter followed by ASCII letters and digits, nothing else.

No underscore (so no dunder such as __class__ can be declared), no unicode (so a Cyrillic look-alike cannot
pass for a Latin letter), no keywords of any language to worry about.
"""

import pytest

from solver.family import FamilyError, parse_family
from tests.solver.triangle import triangle

FIELDS = {"k": "loop_momenta", "p1": "external_momenta", "m1": "invariants"}


@pytest.mark.parametrize("name", ["q", "msq", "Q2", "s12", "MW", "x", "mTop2"])
def test_plain_names_are_accepted_in_every_field(name):
    for slot in FIELDS:
        parse_family(triangle(**{slot: name}))


@pytest.mark.parametrize(
    "name",
    [
        "__class__",
        "__import__",
        "_m",
        "m_1",
        "m1_",
        "1m",
        "9",
        "m-1",
        "m 1",
        "m1 ",
        "m.1",
        "\u043c1",  # Cyrillic em
        "\uff4d1",  # fullwidth m
        "m\u00b2",  # superscript two
        "m\u0661",  # Arabic-Indic digit one
        "é",
    ],
)
@pytest.mark.parametrize("slot", list(FIELDS))
def test_other_names_are_refused_naming_the_field(slot, name):
    with pytest.raises(FamilyError) as refused:
        parse_family(triangle(**{slot: name}))
    assert refused.value.field == FIELDS[slot]
    assert f"{name!r} is not a valid symbol name" in refused.value.reason
    assert "[A-Za-z][A-Za-z0-9]*" in refused.value.reason


@pytest.mark.parametrize("field", ["loop_momenta", "invariants"])
@pytest.mark.parametrize("name", ["", "m1\n", "\nm1"])
def test_empty_names_and_trailing_newlines_are_refused(field, name):
    text = triangle().replace(f'{field} = ["', f'{field} = ["{name.encode("unicode_escape").decode()}", "', 1)
    with pytest.raises(FamilyError) as refused:
        parse_family(text)
    assert refused.value.field == field
    assert "not a valid symbol name" in refused.value.reason


@pytest.mark.parametrize("name", ["d", "prime"])
def test_the_names_a_recorded_point_uses_are_reserved(name):
    for slot, field in FIELDS.items():
        with pytest.raises(FamilyError, match=f"{field}: '{name}' is reserved"):
            parse_family(triangle(**{slot: name}))
