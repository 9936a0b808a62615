"""Blame at the level of the syntax tree follows both parents of every crossover: on a crossover of two
crossovers (GP's own operator, recorded as a run records it) each sub-expression is credited to the founder
whose agent wrote it (the two founders share no feature and no constant), and no crossover, which writes
nothing of its own, is credited with anything."""

import random
import re

import pytest

from evolution import gp
from provenance import ledger
from provenance.attribution import blame

pytestmark = pytest.mark.django_db

LAPORTA = "def keep(seed):\n    return seed.r <= seed.r_top and seed.s <= seed.s_top\n"
OTHER = "def keep(seed):\n    return seed.d == 0 or seed.t >= seed.t_top - 2\n"
TOKENS = re.compile(r"seed\.\w+|\b\d+\b")


def tokens(text: str) -> set[str]:
    return set(TOKENS.findall(text.replace("def keep(seed)", "")))


def crossed(run, parent, donor, rng):
    """GP's one-point crossover of two recorded candidates, recorded with the edges its call names."""
    child = gp.crossover(gp.Individual.from_source(parent.source, parent.pk),
                         gp.Individual.from_source(donor.source, donor.pk), rng)
    by_id = {parent.pk: parent, donor.pk: donor}
    return ledger.record_candidate(
        run, source=child.source, activity="gp_crossover",
        agent=ledger.algorithm_agent("gp", child.operator_call.operator, version="gp-1"),
        parents=[(by_id[ref], role) for ref, role in child.operator_call.parents],
        params=child.operator_call.as_record(),
    )


@pytest.fixture
def founders(run, laporta, gp):
    return (ledger.record_candidate(run, source=LAPORTA, activity="literature", agent=laporta),
            ledger.record_candidate(run, source=OTHER, activity="random_init", agent=gp))


def test_each_sub_expression_is_credited_to_the_parent_it_came_from(run, founders):
    laporta, other = founders
    rng = random.Random(3)
    first, second = crossed(run, laporta, other, rng), crossed(run, other, laporta, rng)
    last = crossed(run, first, second, rng)
    assert last.source == (
        "def keep(seed):\n    return seed.t >= seed.t_top - 2 and seed.t >= seed.t_top - seed.r\n"
    )

    credit = {part.text: part.origin.candidate for part in blame(last.pk).parts}

    assert credit["seed.t >= seed.t_top - 2"] == other.pk  # first's donated branch
    assert credit["seed.t >= seed.t_top - seed.r"] == other.pk  # second's parent's comparison …
    assert credit["seed.r"] == laporta.pk  # … holding second's donated feature
    assert credit["seed.t >= seed.t_top - 2 and seed.t >= seed.t_top - seed.r"] == laporta.pk  # first's `and`


@pytest.mark.parametrize("seed", range(8))
def test_every_part_of_a_crossover_of_crossovers_is_a_founders(run, founders, seed):
    laporta, other = founders
    rng = random.Random(seed)
    first, second = crossed(run, laporta, other, rng), crossed(run, other, laporta, rng)
    last = crossed(run, first, second, rng)
    owners = {laporta.pk: tokens(LAPORTA), other.pk: tokens(OTHER)}

    for part in blame(last.pk).parts:
        assert part.origin.candidate in owners, f"{part.text!r} credited to a crossover"
        if TOKENS.fullmatch(part.text):  # a feature or a constant: only one founder ever wrote it
            (founder,) = [pk for pk, own in owners.items() if part.text in own]
            assert part.origin.candidate == founder, part.text
