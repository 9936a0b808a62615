"""`solver reduce --rule-file` holds a rule to the sandbox's contract: keep answers True/False (or 0/1)."""

import pytest

from solver.family import load_family
from solver.rules import RuleError, select
from solver.seeds import SeedPool


@pytest.fixture(scope="module")
def pool():
    family = load_family("trianglebox")
    return SeedPool(family, family.problem("rank1").targets)


@pytest.mark.parametrize("answer", [lambda s: s.d == 0, lambda s: int(s.d == 0), lambda s: True])
def test_bools_and_zero_or_one_select(pool, answer):
    assert select(pool, answer).dtype == bool


@pytest.mark.parametrize(
    "answer", [lambda s: 5, lambda s: s.r + 2, lambda s: None, lambda s: "yes", lambda s: 1.0]
)
def test_any_other_answer_is_refused_with_the_value(pool, answer):
    with pytest.raises(RuleError, match="must return a bool"):
        select(pool, answer)
