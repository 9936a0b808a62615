"""The starting population: rules from the literature (solver.literature), and random trees by ramped
half-and-half."""

import random

from deap import gp

from solver.literature import KIRA3, KIRA3_FLOORED, LAPORTA, LiteratureRule

from .generate import generate
from .grammar import PSET, TREE_LIMITS, TreeLimits
from .operators import Child, OperatorCall
from .randomness import deap_random
from .source import parse

STARTING_RULES = {rule.name: rule for rule in (LAPORTA, KIRA3, KIRA3_FLOORED)}


def founder(rule: LiteratureRule) -> Child:
    """A rule from the literature as a member of the population, its operator call carrying the citation."""
    params = {"rule": rule.name, "citation": rule.citation}
    return Child(parse(rule.source), OperatorCall("literature", params=params))


def random_programs(count: int, rng: random.Random, *, min_depth: int = 1, max_depth: int = 4,
                    limits: TreeLimits = TREE_LIMITS, exclude: set[str] = frozenset()) -> list[Child]:
    """`count` distinct random rules (no source in `exclude`), heights ramped over [min_depth, max_depth]."""
    children, seen = [], set(exclude)
    with deap_random(rng):
        for _ in range(50 * count):
            if len(children) == count:
                break
            method = random.choice(("grow", "full"))
            tree = gp.PrimitiveTree(generate(PSET, min_depth, max_depth, method))
            child = Child(tree, OperatorCall("random.half_and_half", (), {
                "method": method, "min_depth": min_depth, "max_depth": max_depth}))
            if limits.admit(tree) and child.source not in seen:
                seen.add(child.source)
                children.append(child)
    return children


def starting_population(size: int, rng: random.Random, rules=(LAPORTA,), **random_options) -> list[Child]:
    """The given literature rules first, then random rules up to `size` in all."""
    founders = [founder(rule) for rule in rules]
    exclude = {child.source for child in founders}
    return founders + random_programs(max(0, size - len(founders)), rng, exclude=exclude, **random_options)
