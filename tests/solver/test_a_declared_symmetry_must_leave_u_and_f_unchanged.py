"""A family file's [symmetries] are checked when it is loaded: a permutation of the propagators that does not
leave the Symanzik polynomials U and F unchanged, or is no permutation at all, is refused with the field
named."""

from pathlib import Path

import pytest

from solver.family import FamilyError, parse_family
from solver.symmetries import apply

DBOX = (Path(__file__).resolve().parents[2] / "solver" / "families" / "dbox.toml").read_text()
DECLARED = "up_down = [3, 2, 1, 6, 5, 4, 7, 8, 9]"


def with_up_down(value: str) -> str:
    assert DECLARED in DBOX
    return DBOX.replace(DECLARED, f"up_down = {value}")


def test_the_declared_mirrors_are_accepted():
    assert len(parse_family(DBOX).symmetries) == 2


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("[2, 1, 3, 6, 5, 4, 7, 8, 9]", "does not leave the Symanzik polynomial"),  # swaps k1^2, (k1+p1)^2
        ("[3, 2, 1, 6, 5, 4, 7, 9, 8]", "does not leave the Symanzik polynomial"),  # ISPs swapped wrongly
        ("[3, 2, 1, 6, 5, 4, 7, 8, 8]", "a permutation of 1..9"),
        ("[3, 2, 1]", "has 3 entries"),
        ("[1, 2, 3, 4, 5, 6, 7, 8, 9]", "identity"),
    ],
)
def test_a_wrong_symmetry_is_refused_with_the_field_named(value, reason):
    with pytest.raises(FamilyError) as refused:
        parse_family(with_up_down(value))
    assert refused.value.field == "symmetries.up_down"
    assert reason in refused.value.reason


def test_an_image_puts_each_index_on_its_images_propagator():
    sigma = [2, 0, 1]  # 0-based: D1 -> D3, D2 -> D1, D3 -> D2
    assert apply(sigma, [[5, 6, 7]]).tolist() == [[6, 7, 5]]


def test_a_file_declaring_more_symmetries_than_anyone_needs_is_refused_before_any_is_checked():
    many = "\n".join(f"s{i} = [3, 2, 1, 6, 5, 4, 7, 8, 9]" for i in range(64))  # and left_right: 65
    with pytest.raises(FamilyError) as refused:
        parse_family(DBOX.replace(DECLARED, many))
    assert refused.value.field == "symmetries" and "65 declared, at most 64" in str(refused.value)
