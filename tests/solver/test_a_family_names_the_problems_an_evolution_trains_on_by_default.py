"""A family file may name the problems an evolution trains on when none are named (`default_problems`);
the others stay there to be named, or held out. Without the key every problem is a default one; a name
that is not one of the family's problems is refused."""

import pytest

from solver.family import FamilyError, load_family, parse_family
from tests.solver.triangle import triangle

PROBLEMS = ('[[problems]]\nname = "dotted"\ntargets = [[2, 1, 1]]\n'
            '[[problems]]\nname = "twodots"\ntargets = [[2, 2, 1]]\n')


def test_without_the_key_every_problem_is_a_default_one():
    assert [p.name for p in parse_family(triangle() + PROBLEMS).default_problems] == ["dotted", "twodots"]


def test_the_named_problems_are_the_default_ones_and_the_others_stay():
    family = parse_family('default_problems = ["twodots"]\n' + triangle() + PROBLEMS)
    assert [p.name for p in family.default_problems] == ["twodots"]
    assert family.problem("dotted").targets == ((2, 1, 1),)


def test_a_default_problem_the_family_lacks_is_refused():
    with pytest.raises(FamilyError) as refused:
        parse_family('default_problems = ["rank9"]\n' + triangle() + PROBLEMS)
    assert refused.value.field == "default_problems" and "rank9" in str(refused.value)


def test_the_triangle_box_trains_on_ranks_one_to_four_and_keeps_the_rest_to_hold_out():
    family = load_family("trianglebox")
    assert [p.name for p in family.default_problems] == ["rank1", "rank2", "rank3", "rank4"]
    assert {"rank5", "rank6", "dot1", "dot2"} <= {p.name for p in family.problems}
