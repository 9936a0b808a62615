"""Evaluate a rule's tree on whole arrays of seed features at once: the sandbox's numpy fast path (one
evaluator for GP trees and for any source in the grammar), fed the rendered source.
"""

import ast
from collections.abc import Iterable, Mapping

import numpy as np
from deap import gp

from evolution.sandbox import SeedTable
from evolution.sandbox.vector import compile_rule
from evolution.sandbox.vector import evaluate as evaluate_expression

from .grammar import FEATURE, FEATURES
from .source import render


def feature_arrays(seeds: Iterable) -> dict[str, np.ndarray]:
    """Columns of the grammar's features from objects with those attributes (`seed.t`, …)."""
    seeds = list(seeds)
    return {name: np.fromiter((getattr(s, name) for s in seeds), np.int64, len(seeds)) for name in FEATURES}


def evaluate(tree: gp.PrimitiveTree, features: Mapping[str, np.ndarray]) -> np.ndarray:
    """A boolean array: which seeds the rule keeps.

    `features` maps each name in FEATURES that the rule reads to an int array of one entry per seed (others
    may be left out); the problem context (t_top, r_top, s_top) may instead be plain ints.
    """
    used = {node.name for node in tree if node.name in FEATURE}
    names = tuple(name for name in FEATURES if name in used)
    missing = [name for name in names if name not in features]
    if missing:
        raise KeyError(f"the rule reads {', '.join(missing)}, which the features lack")
    size = max((np.size(features[name]) for name in FEATURES if name in features and np.ndim(features[name])),
               default=0)
    columns = np.zeros((size, len(names)), np.int64)
    for i, name in enumerate(names):
        columns[:, i] = np.broadcast_to(np.asarray(features[name], dtype=np.int64), (size,))
    table = SeedTable(columns, names, {})
    expression = compile_rule(ast.parse(render(tree)), table)
    if expression is None:  # cannot happen for a tree of the grammar: say so loudly if it ever does
        raise ValueError(f"not a vectorisable rule: {render(tree)!r}")
    return evaluate_expression(expression, table).copy()
