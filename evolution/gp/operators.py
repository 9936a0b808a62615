"""Variation and selection, each returning the child together with the operator call that made it.

DEAP's operators do the tree surgery (all but mutation.restrict, which conjoins a bound: see _restrict);
this module adds what a recorded run needs: a caller-supplied `random.Random` (see randomness.py), bloat
control, and an OperatorCall naming the operator and the parents with their roles, so the provenance record
holds the lineage. Never DEAP's History: it copies an individual
before its fitness is reset, so many recorded entries carry a stale fitness (DEAP issues #139, #531).

Bloat control is checked here rather than with `gp.staticLimit`: staticLimit replaces an oversized crossover
child by a copy of a randomly chosen parent, which may be the donor — the lineage would then name the wrong
parent. Instead an operator is retried (up to `attempts`) until its child is within the limits, differs from
its parent, and holds no more literal True/False than its parents did (`gp.mutInsert` fills the new branch's
other argument with a terminal, which for and/or means `x and True`). If no try succeeds: NoChild.
"""

import copy
import random
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from functools import partial

from deap import gp

from .generate import bound, half_and_half
from .grammar import PRIMITIVE, PSET, TREE_LIMITS, TreeLimits, is_constant, is_literal
from .randomness import deap_random
from .source import parse, render

PARENT, CROSSOVER_DONOR = "parent", "crossover_donor"
SUBTREE_DEPTH = (0, 2)  # heights of the random subtree that uniform mutation grafts in


@dataclass(frozen=True)
class Individual:
    """A tree to breed from, with the caller's name for it (e.g. a candidate id), echoed in operator calls."""

    tree: gp.PrimitiveTree
    ref: Hashable | None = None

    @classmethod
    def from_source(cls, source: str, ref: Hashable | None = None) -> "Individual":
        """Raises OutsideGrammar for a source GP cannot breed."""
        return cls(parse(source), ref)

    @property
    def source(self) -> str:
        return render(self.tree)


@dataclass(frozen=True)
class OperatorCall:
    """One use of a GP operator: `operator` (e.g. 'crossover.one_point'), parents as (ref, role), params."""

    operator: str
    parents: tuple[tuple[Hashable | None, str], ...] = ()
    params: dict = field(default_factory=dict)

    def as_record(self) -> dict:
        """JSON-ready form for the provenance record."""
        return {
            "operator": self.operator,
            "parents": [{"ref": ref, "role": role} for ref, role in self.parents],
            "params": dict(self.params),
        }


@dataclass(frozen=True)
class Child:
    tree: gp.PrimitiveTree
    operator_call: OperatorCall  # what made the child
    source: str = field(init=False)

    def __post_init__(self):
        object.__setattr__(self, "source", render(self.tree))

    def as_individual(self, ref: Hashable | None = None) -> Individual:
        """The child as a future parent, once the caller has named it (e.g. stored it as a candidate)."""
        return Individual(self.tree, ref)


class NoChild(Exception):
    """The operator found no acceptable child in its attempts; try another operator or other parents."""


def crossover(parent, donor, rng: random.Random, *, limits: TreeLimits = TREE_LIMITS,
              attempts: int = 10) -> Child:
    """Typed one-point crossover: `parent` with one subtree replaced by a same-typed subtree of `donor`."""
    parent, donor = _individual(parent), _individual(donor)
    def operation(tree):
        return _one_point(tree, copy.deepcopy(donor.tree))

    parents = [(parent, PARENT), (donor, CROSSOVER_DONOR)]
    return _vary("crossover.one_point", "gp.cxOnePoint", operation, parents, rng, limits, attempts, {})


def _restrict(tree: gp.PrimitiveTree) -> gp.PrimitiveTree:
    """`rule` → `rule and bound`: fewer seeds where the bound cuts, the rule unchanged elsewhere. Published
    rules are conjunctions of such bounds (Kira-3 is Laporta's with `seed.d == 0` and a tighter one on s);
    DEAP's mutInsert cannot make one (it fills the new branch with a terminal: `rule and True`)."""
    return gp.PrimitiveTree([PRIMITIVE["and_"], *tree, *bound()])


# kind: (the DEAP operator doing the surgery, or None for Seedtrace's own; the surgery; recorded params)
MUTATIONS: dict[str, tuple[str | None, Callable, dict]] = {
    "uniform": ("gp.mutUniform", lambda tree: gp.mutUniform(
        tree, expr=partial(half_and_half, min_=SUBTREE_DEPTH[0], max_=SUBTREE_DEPTH[1]), pset=PSET)[0],
        {"subtree_depth": list(SUBTREE_DEPTH)}),
    "node_replacement": ("gp.mutNodeReplacement", lambda tree: gp.mutNodeReplacement(tree, PSET)[0], {}),
    "shrink": ("gp.mutShrink", lambda tree: gp.mutShrink(tree)[0], {}),
    "ephemeral": ("gp.mutEphemeral", lambda tree: gp.mutEphemeral(tree, "one")[0], {"mode": "one"}),
    "insert": ("gp.mutInsert", lambda tree: gp.mutInsert(tree, PSET)[0], {}),
    "restrict": (None, _restrict, {"junction": "and", "bound": "feature against a constant or feature"}),
}


def applicable_mutations(tree: gp.PrimitiveTree) -> list[str]:
    """The mutations that can change this tree at all."""
    kinds = ["uniform", "insert", "restrict"]
    if len(tree) >= 2:
        kinds.append("node_replacement")
    if tree.height > 1 and any(isinstance(n, gp.Primitive) and n.ret in n.args for n in tree[1:]):
        kinds.append("shrink")
    if any(is_constant(n) for n in tree):
        kinds.append("ephemeral")
    return [kind for kind in MUTATIONS if kind in kinds]


def mutate(parent, rng: random.Random, kind: str | None = None, *, limits: TreeLimits = TREE_LIMITS,
           attempts: int = 10) -> Child:
    """A mutation of `kind` (a key of MUTATIONS); None: a random applicable kind, the others on NoChild."""
    parent = _individual(parent)
    kinds = [kind] if kind else applicable_mutations(parent.tree)
    if not kind:
        rng.shuffle(kinds)
    for chosen in kinds:
        deap_name, operation, params = MUTATIONS[chosen]
        try:
            operator = f"mutation.{chosen}"
            return _vary(operator, deap_name, operation, [(parent, PARENT)], rng, limits, attempts, params)
        except NoChild:
            if kind:
                raise
    raise NoChild(f"no mutation changed {parent.source!r} within the limits")


def vary(parents: Sequence, rng: random.Random, *, crossover_rate: float = 0.5,
         limits: TreeLimits = TREE_LIMITS, attempts: int = 10) -> Child:
    """Crossover of the first two parents with probability `crossover_rate`, else (or on NoChild) mutation."""
    if len(parents) >= 2 and rng.random() < crossover_rate:
        try:
            return crossover(parents[0], parents[1], rng, limits=limits, attempts=attempts)
        except NoChild:
            pass
    return mutate(parents[0], rng, limits=limits, attempts=attempts)


def tournament(contestants: Sequence[tuple[object, float]], rng: random.Random, size: int = 3
               ) -> tuple[object, OperatorCall]:
    """Tournament selection over (individual, score) pairs, higher score better, drawn with replacement.

    Ties go to the first drawn, as in `tools.selTournament`; written out here because DEAP's version needs
    DEAP fitness objects and the global `random`.
    """
    drawn = [rng.choice(contestants) for _ in range(size)]
    winner = max(drawn, key=lambda pair: pair[1])[0]
    return winner, OperatorCall(
        "selection.tournament", ((_ref(winner), "selected"),),
        {"size": size, "contestants": [_ref(p) for p, _ in drawn], "scores": [s for _, s in drawn]},
    )


def _vary(operator: str, deap_name: str | None, operation: Callable, parents: list, rng: random.Random,
          limits: TreeLimits, attempts: int, params: dict) -> Child:
    (first, _), *_ = parents
    before = render(first.tree)
    literals = sum(_literals(p.tree) for p, _ in parents)
    with deap_random(rng):
        for attempt in range(1, attempts + 1):
            tree = operation(copy.deepcopy(first.tree))
            if limits.admit(tree) and _literals(tree) <= literals and render(tree) != before:
                named = {"deap": deap_name} if deap_name else {}
                call = OperatorCall(operator, tuple((p.ref, role) for p, role in parents),
                                    {**named, **params, "attempts": attempt})
                return Child(gp.PrimitiveTree(tree), call)
    raise NoChild(f"{operator} made no new child of {before!r} within the limits in {attempts} attempts")


def _one_point(tree: gp.PrimitiveTree, donor: gp.PrimitiveTree) -> gp.PrimitiveTree:
    """`gp.cxOnePoint`'s first child, with the same draws, but the shared types taken in a fixed order.

    DEAP draws the type from a `set` of type classes, which iterates in the order of their memory addresses:
    the same seed crossed differently in another process (a resumed run, another worker).
    """
    if len(tree) < 2 or len(donor) < 2:
        return tree
    points, donor_points = _points_by_type(tree), _points_by_type(donor)
    common = [type_ for type_ in points if type_ in donor_points]  # in order of first appearance
    if common:
        type_ = random.choice(common)
        index, donor_index = random.choice(points[type_]), random.choice(donor_points[type_])
        tree[tree.searchSubtree(index)] = donor[donor.searchSubtree(donor_index)]
    return tree


def _points_by_type(tree: gp.PrimitiveTree) -> dict[type, list[int]]:
    points: dict[type, list[int]] = {}
    for index, node in enumerate(tree[1:], 1):
        points.setdefault(node.ret, []).append(index)
    return points


def _literals(tree: gp.PrimitiveTree) -> int:
    return sum(1 for node in tree if is_literal(node))


def _individual(value) -> Individual:
    """An Individual from an Individual, a tree or a source (OutsideGrammar if the source cannot be bred)."""
    if isinstance(value, Individual):
        return value
    return Individual.from_source(value) if isinstance(value, str) else Individual(value)


def _ref(value) -> Hashable | None:
    return getattr(value, "ref", None)
