"""The starting population: rules from the literature as sources, and random trees by ramped half-and-half."""

import random
from dataclasses import dataclass

from deap import gp

from .generate import generate
from .grammar import LIMITS, PSET, Limits
from .operators import Activity, Child
from .randomness import deap_random
from .source import parse


@dataclass(frozen=True)
class StartingRule:
    """A published rule, as the source a candidate holds and the citation its literature agent carries."""

    name: str
    source: str
    citation: str

    def as_child(self) -> Child:
        params = {"rule": self.name, "citation": self.citation}
        return Child(parse(self.source), Activity("literature", params=params))


def _keep(expression: str) -> str:
    return f"def keep(seed):\n    return {expression}\n"


LAPORTA_CITATION = "S. Laporta, hep-ph/0102033"
KIRA3_CITATION = "Usovitsch et al., Kira 3, arXiv:2505.20197"

# Laporta's r <= R, s <= S with R, S taken from the problem (the target's own r and s), so the rule carries
# over between problems; `laporta(R, S)` writes fixed bounds instead.
LAPORTA = StartingRule("laporta", _keep("seed.r <= seed.r_top and seed.s <= seed.s_top"), LAPORTA_CITATION)
KIRA3 = StartingRule(
    "kira3", _keep("seed.d == 0 and seed.s <= seed.s_top - (seed.t_top - seed.t)"), KIRA3_CITATION
)
# With a floor of one numerator power it closes on every rank of the benchmark (shared/design/DOMAIN.md).
KIRA3_FLOORED = StartingRule(
    "kira3_floored",
    _keep("seed.d == 0 and seed.s <= max(1, seed.s_top - (seed.t_top - seed.t))"),
    f"{KIRA3_CITATION}, with a floor s <= max(1, ...)",
)
STARTING_RULES = {rule.name: rule for rule in (LAPORTA, KIRA3, KIRA3_FLOORED)}


def laporta(r: int, s: int) -> StartingRule:
    """Laporta's rule with fixed bounds, e.g. laporta(6, 3): `seed.r <= 6 and seed.s <= 3`."""
    return StartingRule(f"laporta_r{r}_s{s}", _keep(f"seed.r <= {r} and seed.s <= {s}"), LAPORTA_CITATION)


def random_programs(count: int, rng: random.Random, *, min_depth: int = 1, max_depth: int = 4,
                    limits: Limits = LIMITS, exclude: set[str] = frozenset()) -> list[Child]:
    """`count` distinct random rules (no source in `exclude`), heights ramped over [min_depth, max_depth]."""
    children, seen = [], set(exclude)
    with deap_random(rng):
        for _ in range(50 * count):
            if len(children) == count:
                break
            method = random.choice(("grow", "full"))
            tree = gp.PrimitiveTree(generate(PSET, min_depth, max_depth, method))
            child = Child(tree, Activity("random.half_and_half", (), {
                "method": method, "min_depth": min_depth, "max_depth": max_depth}))
            if limits.admit(tree) and child.source not in seen:
                seen.add(child.source)
                children.append(child)
    return children


def starting_population(size: int, rng: random.Random, rules=(LAPORTA,), **random_options) -> list[Child]:
    """The given literature rules first, then random rules up to `size` in all."""
    founders = [rule.as_child() for rule in rules]
    exclude = {child.source for child in founders}
    return founders + random_programs(max(0, size - len(founders)), rng, exclude=exclude, **random_options)
