"""Two sources of the same program, written differently, share a normalised form and hash; others do not."""

import pytest

from provenance.canonical import ast_hash as program_hash
from provenance.normalise import normalise

KIRA3 = "def keep(seed):\n    return seed.d == 0 and seed.s <= seed.s_top - (seed.t_top - seed.t)\n"

SAME_PROGRAM = {
    "comments and docstrings": '''
"""Module docstring."""
def keep(seed):
    """Kira-3."""
    # no dots
    return seed.d == 0 and seed.s <= seed.s_top - (seed.t_top - seed.t)  # rank
''',
    "formatting and parentheses": (
        "def keep( seed ) :\n  return (seed.d==0) and (seed.s <= (seed.s_top-(seed.t_top-seed.t)))"
    ),
    "function name, parameter name and annotations": (
        "def priority_v3(s: Seed) -> bool:\n    return s.d == 0 and s.s <= s.s_top - (s.t_top - s.t)\n"
    ),
}


@pytest.mark.parametrize("source", SAME_PROGRAM.values(), ids=SAME_PROGRAM.keys())
def test_a_restyled_program_has_the_same_hash(source):
    assert normalise(source) == normalise(KIRA3)
    assert program_hash(source) == program_hash(KIRA3)


def test_a_different_program_has_a_different_hash():
    budget = "seed.s_top - (seed.t_top - seed.t)"
    floored = KIRA3.replace(budget, f"max(1, {budget})")
    assert program_hash(floored) != program_hash(KIRA3)


def test_renaming_the_parameter_leaves_attribute_names_alone():
    renamed = normalise("def keep(s):\n    return s.s <= s.s_top\n")
    assert renamed == "def keep(seed):\n    return seed.s <= seed.s_top"


def test_a_parameter_is_not_renamed_onto_a_name_already_in_use():
    source = "def keep(x):\n    seed = 3\n    return x.s <= seed\n"
    assert normalise(source) == "def keep(x):\n    seed = 3\n    return x.s <= seed"


def test_helpers_stay_and_only_a_function_named_keep_is_the_rule():
    source = "def helper(a):\n    return a + 1\n\ndef keep(seed):\n    return helper(seed.s) <= 3\n"
    assert "def helper(a)" in normalise(source)


def test_a_function_whose_body_was_only_a_docstring_stays_valid():
    assert normalise('def keep(seed):\n    """Nothing."""\n') == "def keep(seed):\n    pass"


def test_an_unparseable_source_has_no_normal_form_and_an_empty_hash():
    with pytest.raises(SyntaxError):
        normalise("def keep(seed) return True")
    assert program_hash("def keep(seed) return True") == ""
