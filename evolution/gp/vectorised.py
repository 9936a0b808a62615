"""Evaluate a rule's tree on whole arrays of seed features at once (numpy), for fast scoring of GP programs.

Element-wise meaning equals the rendered Python's meaning seed by seed: and/or/not are logical_and/or/not,
min/max are minimum/maximum, arithmetic is int64 (features are small, nothing overflows).
"""

from collections.abc import Iterable, Mapping

import numpy as np
from deap import gp

from .grammar import FEATURE, FEATURES, OPERATION


def feature_arrays(seeds: Iterable) -> dict[str, np.ndarray]:
    """Columns of the grammar's features from objects with those attributes (`seed.t`, …)."""
    seeds = list(seeds)
    return {name: np.fromiter((getattr(s, name) for s in seeds), np.int64, len(seeds)) for name in FEATURES}


def evaluate(tree: gp.PrimitiveTree, features: Mapping[str, np.ndarray]) -> np.ndarray:
    """A boolean array: which seeds the rule keeps.

    `features` maps each name in FEATURES to an int array of one entry per seed; the problem context
    (t_top, r_top, s_top) may instead be plain ints.
    """
    columns = {name: np.asarray(features[name], dtype=np.int64) for name in FEATURES}
    size = len(columns[FEATURES[0]])
    stack = []
    for node in reversed(tree):
        if isinstance(node, gp.Primitive):
            stack.append(OPERATION[node.name].numpy(*[stack.pop() for _ in range(node.arity)]))
        elif node.name in FEATURE:
            stack.append(columns[node.name])
        else:
            stack.append(node.value)
    (kept,) = stack
    # A rule such as `True` or `1 < 2` yields a scalar: spread it over every seed.
    return np.broadcast_to(np.asarray(kept, dtype=bool), (size,)).copy()
