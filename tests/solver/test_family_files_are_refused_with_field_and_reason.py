"""A malformed family file is refused with a FamilyError naming the field and the reason."""

import pytest

from solver.family import FamilyError, parse_family
from tests.solver.triangle import triangle

GOOD = triangle() + '[[problems]]\nname = "dotted"\ntargets = [[2, 1, 1]]\n'


def test_the_good_file_is_accepted():
    family = parse_family(GOOD)
    assert family.n == 3
    assert family.problem("dotted").targets == ((2, 1, 1),)


@pytest.mark.parametrize(
    ("old", "new", "field", "reason"),
    [
        ('"(k+p1+p2)^2"]', '"(k+p1+p2)^2", "(k-p2)^2"]', "propagators", "N = L(L+1)/2 + L*E = 3"),
        ('"(k+p1)^2"', '"(k+p1)^3"', "propagators[1]", "not quadratic"),
        ('"(k+p1)^2"', '"k*p1 + k"', "propagators[1]", "not quadratic"),
        ('"(k+p1)^2"', '"(k+p1)^2 - msq"', "propagators[1]", "unknown symbol msq"),
        ('"p2^2" = "m2"', '"p2^2" = "E"', "scalar_products['p2^2']", "unknown symbol E"),
        ('"p1*p2" = "(m3 - m1 - m2)/2"', "", "scalar_products", "missing the scalar product 'p1*p2'"),
        ('"(k+p1+p2)^2"]', '"(k+p1+p1)^2"]', "propagators", "singular basis"),
        ('"k^2"', '"p1^2"', "propagators[0]", "does not depend on a loop momentum"),
        ("propagators = [", "top_sector = [1, 1]\npropagators = [", "top_sector", "3 propagators"),
        ("propagators = [", "top_sector = [1, 2, 1]\npropagators = [", "top_sector", "0/1 entries"),
        ("targets = [[2, 1, 1]]", "targets = [[2, 1]]", "problems[0].targets", "3 propagators"),
        ("targets = [[2, 1, 1]]", "targets = [[2, 0, 0]]", "problems[0].targets", "zero (scaleless) sector"),
        (
            "propagators = [",
            "top_sector = [1, 1, 0]\npropagators = [",
            "problems[0].targets",
            "outside the top",
        ),
        ('name = "tri"', 'name = "tri', "file", "not valid TOML"),
        ('"m1"\n', '"1.5"\n', "scalar_products['p1^2']", "floating-point"),
        # A family file is data: nothing in it may reach Python's evaluator through sympy's parser.
        ('"m1"\n', '"__import__(\'os\').getcwd()"\n', "scalar_products['p1^2']", "character \"'\""),
        ('"m1"\n', '"m1.__class__"\n', "scalar_products['p1^2']", "unknown symbol __class__"),
        ('"m1"\n', '"m1^123456789"\n', "scalar_products['p1^2']", "exponent too large"),
        ('"m1"\n', '"m1 + []"\n', "scalar_products['p1^2']", "character '['"),
    ],
)
def test_it_refuses_a_malformed_file_naming_field_and_reason(old, new, field, reason):
    assert old in GOOD
    with pytest.raises(FamilyError) as refused:
        parse_family(GOOD.replace(old, new, 1))
    assert refused.value.field == field
    assert reason in str(refused.value)
    assert str(refused.value).startswith(f"{field}: ")
