"""Every operator says which programs it bred from and in which role; crossover names both parents."""

import random

import pytest

from evolution.gp import (
    CROSSOVER_DONOR,
    KIRA3,
    KIRA3_FLOORED,
    LAPORTA,
    MUTATIONS,
    PARENT,
    Individual,
    NoChild,
    crossover,
    mutate,
    tournament,
    vary,
)

LAPORTA_PROGRAM = Individual.from_source(LAPORTA.source, ref="cand-1")
KIRA3_PROGRAM = Individual.from_source(KIRA3.source, ref="cand-2")


def test_crossover_names_the_parent_and_the_donor():
    child = crossover(LAPORTA_PROGRAM, KIRA3_PROGRAM, random.Random(4))
    assert child.operator_call.parents == (("cand-1", PARENT), ("cand-2", CROSSOVER_DONOR))
    record = child.operator_call.as_record()
    assert record["operator"] == "crossover.one_point"
    assert record["parents"] == [
        {"ref": "cand-1", "role": "parent"}, {"ref": "cand-2", "role": "crossover_donor"},
    ]
    assert record["params"]["deap"] == "gp.cxOnePoint"


def test_the_crossover_child_is_the_parent_with_one_subtree_from_the_donor():
    for seed in range(20):
        child = crossover(LAPORTA_PROGRAM, KIRA3_PROGRAM, random.Random(seed))
        parent, donor = LAPORTA_PROGRAM.tree, KIRA3_PROGRAM.tree
        assert child.tree[0] == parent[0]  # the root is never exchanged
        assert child.source != LAPORTA_PROGRAM.source
        # What is not the parent's is a contiguous slice of the donor.
        head = _common_length(child.tree, parent)
        tail = _common_length(child.tree[::-1], parent[::-1])
        graft = list(child.tree)[head:len(child.tree) - tail]
        assert any(list(donor)[i:i + len(graft)] == graft for i in range(len(donor)))


def _common_length(a, b) -> int:
    return next(i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y)


@pytest.mark.parametrize("kind", sorted(MUTATIONS))
def test_each_mutation_names_its_one_parent(kind):
    parent = Individual.from_source(KIRA3_FLOORED.source, ref=7)
    child = mutate(parent, random.Random(1), kind)
    assert child.operator_call.operator == f"mutation.{kind}"
    assert child.operator_call.parents == ((7, PARENT),)
    assert child.operator_call.params.get("deap") == MUTATIONS[kind][0]  # None: Seedtrace's own operator
    assert child.source != parent.source


def test_a_mutation_that_cannot_change_the_tree_raises_no_child():
    with pytest.raises(NoChild):
        mutate(LAPORTA_PROGRAM, random.Random(1), "ephemeral")  # no constants to change


def test_vary_falls_back_to_a_mutation_of_the_first_parent():
    child = vary([LAPORTA_PROGRAM], random.Random(2), crossover_rate=1.0)
    assert child.operator_call.operator.startswith("mutation.")
    assert child.operator_call.parents == (("cand-1", PARENT),)


def test_parents_given_as_sources_or_trees_have_no_ref():
    child = crossover(LAPORTA.source, KIRA3_PROGRAM.tree, random.Random(3))
    assert child.operator_call.parents == ((None, PARENT), (None, CROSSOVER_DONOR))


def test_tournament_picks_the_best_of_the_drawn_and_records_them():
    contestants = [(Individual(LAPORTA_PROGRAM.tree, ref=i), -float(i)) for i in range(10)]
    winner, call = tournament(contestants, random.Random(9), size=4)
    drawn = call.params["contestants"]
    assert len(drawn) == 4 and winner.ref == min(drawn)
    assert call.operator == "selection.tournament"
    assert call.parents == ((winner.ref, "selected"),)
    assert call.params["scores"] == [-float(i) for i in drawn]
