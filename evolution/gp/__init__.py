"""Typed genetic programming of seeding rules (DEAP): grammar, source ↔ tree, operators, starting population.

No Django here: the run controller turns Children and Activities into provenance records.
"""

from .grammar import FEATURES, LIMITS, PSET, Bool, Int, Limits
from .operators import (
    CROSSOVER_DONOR,
    MUTATIONS,
    PARENT,
    Activity,
    Child,
    NoChild,
    Program,
    applicable_mutations,
    crossover,
    mutate,
    tournament,
    vary,
)
from .population import (
    KIRA3,
    KIRA3_FLOORED,
    LAPORTA,
    STARTING_RULES,
    StartingRule,
    laporta,
    random_programs,
    starting_population,
)
from .randomness import deap_random
from .source import OutsideGrammar, expression, parse, render
from .vectorised import evaluate, feature_arrays

__all__ = [
    "FEATURES", "LIMITS", "PSET", "Bool", "Int", "Limits",
    "CROSSOVER_DONOR", "MUTATIONS", "PARENT", "Activity", "Child", "NoChild", "Program",
    "applicable_mutations", "crossover", "mutate", "tournament", "vary",
    "KIRA3", "KIRA3_FLOORED", "LAPORTA", "STARTING_RULES", "StartingRule", "laporta", "random_programs",
    "starting_population",
    "deap_random", "OutsideGrammar", "expression", "parse", "render", "evaluate", "feature_arrays",
]
