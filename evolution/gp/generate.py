"""Random typed trees: ramped half-and-half (Koza) over the grammar, without literal True/False leaves.

DEAP's own `genHalfAndHalf` ends a condition branch with a literal `True`/`False` whenever it decides to
stop, which gives rules such as `seed.t < seed.r or True`. Here a condition branch that must stop becomes a
comparison of two integer leaves instead (the smallest meaningful condition); the rest is `gp.generate`.
Call inside `deap_random` (the draws come from the global `random` module, as in DEAP).
"""

import random
from inspect import isclass

from deap import gp

from .grammar import COMPARISONS, CONSTANTS, FEATURE, PRIMITIVE, SEED_FEATURES, Bool, constant


def generate(pset: gp.PrimitiveSetTyped, min_: int, max_: int, method: str, type_=None) -> list:
    """Prefix-ordered nodes, height in [min_, max_] (at least 1 for a condition); method 'grow' or 'full'."""
    type_ = pset.ret if type_ is None else type_
    height = random.randint(min_, max_)
    if type_ is Bool:
        height = max(height, 1)

    def stop(depth: int) -> bool:
        if method == "full":
            return depth >= height
        return depth >= height or (depth >= min_ and random.random() < pset.terminalRatio)

    expr, stack = [], [(0, type_)]
    while stack:
        depth, type_ = stack.pop()
        leaf = stop(depth)
        if type_ is Bool and (leaf or depth + 1 >= height):
            expr.append(random.choice(COMPARISONS))
            stack.extend([(height, arg) for arg in COMPARISONS[0].args])  # depth=height: both leaves
        elif leaf:
            term = random.choice(pset.terminals[type_])
            expr.append(term() if isclass(term) else term)
        else:
            prim = random.choice(pset.primitives[type_])
            expr.append(prim)
            stack.extend((depth + 1, arg) for arg in reversed(prim.args))
    return expr


def half_and_half(pset: gp.PrimitiveSetTyped, min_: int, max_: int, type_=None) -> list:
    """Drop-in for `gp.genHalfAndHalf` (same signature, so `gp.mutUniform` can use it as its `expr`)."""
    return generate(pset, min_, max_, random.choice(("grow", "full")), type_)


def bound() -> list:
    """A condition to conjoin to a rule (mutation.restrict): a seed feature compared with a small constant
    (half the time, the shape of most clauses of published rules, e.g. `seed.d == 0`), with a feature, or
    with a feature plus or minus a constant (`seed.t > seed.s_pinched + 2`).

    Drawn directly rather than by `generate`: there a constant is one leaf in sixteen, so a bound such as
    `seed.s_pinched <= 1` would come once in thousands of draws."""
    left = FEATURE[random.choice(SEED_FEATURES)]
    draw = random.random()
    if draw < 0.5:
        right = [_small()]
    elif draw < 0.75:
        right = [FEATURE[random.choice(SEED_FEATURES)]]
    else:
        right = [PRIMITIVE[random.choice(("add", "sub"))], FEATURE[random.choice(SEED_FEATURES)], _small(1)]
    return [random.choice(COMPARISONS), left, *right]


def _small(low: int = 0):
    return constant(random.randint(low, max(CONSTANTS)))
