"""Typed genetic programming of seeding rules (DEAP): grammar, source ↔ tree, operators, starting population.

No Django here: the run controller turns Children and their OperatorCalls into provenance records.
"""

from solver.literature import KIRA3, KIRA3_FLOORED, LAPORTA, LiteratureRule, laporta

from .grammar import FEATURES, PSET, TREE_LIMITS, Bool, Int, TreeLimits
from .operators import (
    CROSSOVER_DONOR,
    MUTATIONS,
    PARENT,
    Child,
    Individual,
    NoChild,
    OperatorCall,
    applicable_mutations,
    crossover,
    mutate,
    tournament,
    vary,
)
from .population import STARTING_RULES, founder, random_programs, starting_population
from .randomness import deap_random
from .source import OutsideGrammar, expression, parse, render
from .vectorised import evaluate, feature_arrays

__all__ = [
    "FEATURES", "PSET", "TREE_LIMITS", "Bool", "Int", "TreeLimits",
    "CROSSOVER_DONOR", "MUTATIONS", "PARENT", "Child", "Individual", "NoChild", "OperatorCall",
    "applicable_mutations", "crossover", "mutate", "tournament", "vary",
    "KIRA3", "KIRA3_FLOORED", "LAPORTA", "LiteratureRule", "laporta",
    "STARTING_RULES", "founder", "random_programs", "starting_population",
    "deap_random", "OutsideGrammar", "expression", "parse", "render", "evaluate", "feature_arrays",
]
