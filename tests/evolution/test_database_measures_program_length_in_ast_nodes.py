"""Program length counts syntax, not characters: formatting, comments and docstrings don't matter."""

import pytest

from evolution.database import program_length

LAPORTA = "def keep(seed):\n    return seed.r <= 3 and seed.s <= 1\n"


def test_formatting_comments_and_docstrings_do_not_change_the_length():
    verbose = (
        "def keep(seed):\n"
        '    """Laporta: every seed up to r = 3 dots and s = 1 numerator power."""\n'
        "    # the classic rule\n"
        "    return (seed.r <= 3) and (seed.s   <=   1)\n"
    )
    assert program_length(verbose) == program_length(LAPORTA)


def test_a_longer_rule_is_longer():
    kira = "def keep(seed):\n    return seed.d == 0 and seed.s <= seed.s_top - (seed.t_top - seed.t)\n"
    assert program_length(kira) > program_length(LAPORTA)


def test_source_that_does_not_parse_is_refused():
    with pytest.raises(SyntaxError):
        program_length("def keep(seed) return 1")
