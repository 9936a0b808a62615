"""Blame on the records a real GP run writes: every part of every program is credited to the program or one
of its ancestors; a crossover, which writes nothing of its own, is credited with nothing (but a join of two
and/or chains where Python reads them as one), and its donated branch goes to the donor's side."""

import pytest
from deap.gp import PrimitiveTree

from evolution import gp
from evolution.controller import Controller
from provenance.ancestry import ancestors
from provenance.attribution import blame
from provenance.models import Candidate, Edge
from tests.evolution.conftest import config

# The controller hands jobs out when their rows are committed, as it must for real workers.
pytestmark = pytest.mark.django_db(transaction=True)


def label(node) -> tuple:
    return node.name, getattr(node, "value", None)


def donated(parent: str, child: str) -> str:
    """The branch one-point crossover put into `parent` to make `child`: where their prefix lists part."""
    before, after = gp.parse(parent), gp.parse(child)
    k = next(i for i, (a, b) in enumerate(zip(before, after, strict=False)) if label(a) != label(b))
    replaced = before.searchSubtree(k)
    size = len(after) - (len(before) - (replaced.stop - k))
    return gp.expression(PrimitiveTree(after[k : k + size]))


def test_every_crossover_is_credited_to_its_two_parents(project, alice):
    controller = Controller.start(project, config(budget=40), user=alice)
    controller.evolve()
    crossovers = 0
    for candidate in Candidate.objects.filter(run=controller.run).order_by("seq"):
        parts = blame(candidate.pk).parts
        assert {part.origin.candidate for part in parts} <= ancestors(candidate.pk).ids
        if candidate.activity != "gp_crossover":
            continue
        crossovers += 1
        edges = dict(Edge.objects.filter(child=candidate).values_list("role", "parent"))
        parent, donor = (Candidate.objects.get(pk=edges[role]) for role in ("parent", "crossover_donor"))
        own = [part.text for part in parts if part.origin.candidate == candidate.pk]
        assert all(" and " in text or " or " in text for text in own), own
        branch = donated(parent.source, candidate.source)
        donor_side = ancestors(donor.pk).ids
        assert any(part.origin.candidate in donor_side for part in parts if part.text == branch), branch
    assert crossovers >= 5
