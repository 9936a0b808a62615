"""The typed-GP grammar of seeding rules: the features, constants and operations a bred rule may use.

`seed.sector` and `seed.indices` are deliberately absent. A sector is a bitmask that names lines of one
particular family, and `indices` a tuple of per-line exponents: conditions on either select a hand-picked set
of seeds of that family rather than a rule that carries over to other families and ranks. Such a set beats
every rule on its one target (greedily deleting seeds goes far below 88, the fewest a published rule needs on
trianglebox rank 3) and generalises to nothing. A candidate from an LLM or a person may still use them; it is
evaluated, but not bred.

Where a seed's dots and numerators sit is in the grammar, said in words every family shares rather than by
line number: dots on the top sector's lines or off them, numerator powers on the ISPs or on the pinched lines
(top-sector lines the seed's sector lacks), the most on one line, how many lines are pinched, and the
targets' r on the seed's lines (solver/seed_features.py). "One extra dot, only in the top sector" is
`seed.d == 0 or seed.d_in <= 1 and seed.pinched == 0`.
"""

import operator
import random
from collections.abc import Callable
from dataclasses import dataclass

from deap import gp

from solver.seed_features import NAMES as PLACED


class Int:
    """GP type of seed features and arithmetic on them."""


class Bool:
    """GP type of conditions; the root of every rule."""


# Marker classes rather than int and bool: DEAP's typed sets follow issubclass, and bool is a subclass of int,
# so with the builtins a comparison could stand wherever an integer is expected.
TYPE_NAMES = {Int: "an integer", Bool: "a condition"}

# How much a seed carries (t, r, s, d); where its dots and numerator powers sit relative to the targets' top
# sector (d_in, d_out, d_max, s_isp, s_pinched, s_max, pinched, r_sec: solver/seed_features.py defines
# them, in words every family shares); and the targets' own t, r, s.
SEED_FEATURES = ("t", "r", "s", "d", *PLACED)  # what differs from seed to seed within one problem
FEATURES = (*SEED_FEATURES, "t_top", "r_top", "s_top")
CONSTANTS = range(0, 5)  # what random trees and constant mutation draw
MAX_CONSTANT = 1_000  # largest literal a parsed candidate may hold (keeps numpy in int64)

# Python precedence, lowest first; ATOM for names, literals and calls.
OR, AND, NOT, COMPARE, ARITH, ATOM = range(1, 7)


@dataclass(frozen=True)
class Operation:
    name: str  # the DEAP primitive's name
    symbol: str  # how Python writes it
    args: tuple[type, ...]
    ret: type
    precedence: int
    python: Callable


_II, _BB = (Int, Int), (Bool, Bool)
OPERATIONS = (
    Operation("add", "+", _II, Int, ARITH, operator.add),
    Operation("sub", "-", _II, Int, ARITH, operator.sub),
    Operation("min", "min", _II, Int, ATOM, min),
    Operation("max", "max", _II, Int, ATOM, max),
    Operation("lt", "<", _II, Bool, COMPARE, operator.lt),
    Operation("le", "<=", _II, Bool, COMPARE, operator.le),
    Operation("eq", "==", _II, Bool, COMPARE, operator.eq),
    Operation("ge", ">=", _II, Bool, COMPARE, operator.ge),
    Operation("gt", ">", _II, Bool, COMPARE, operator.gt),
    Operation("and_", "and", _BB, Bool, AND, operator.and_),
    Operation("or_", "or", _BB, Bool, OR, operator.or_),
    Operation("not_", "not", (Bool,), Bool, NOT, operator.not_),
)
OPERATION = {op.name: op for op in OPERATIONS}


def _draw_constant() -> int:
    # A named module-level function, not a lambda: DEAP pickles an ephemeral class through its function.
    return random.choice(CONSTANTS)


PSET = gp.PrimitiveSetTyped("keep", [], Bool)
for _feature in FEATURES:
    PSET.addTerminal(_feature, Int, name=_feature)
PSET.addEphemeralConstant("const", _draw_constant, Int)
# Literal True/False: parsed candidates may hold them and DEAP's operators need a terminal of every type.
# Random trees never draw them (see generate.py).
PSET.addTerminal(True, Bool)
PSET.addTerminal(False, Bool)
for _op in OPERATIONS:
    PSET.addPrimitive(_op.python, list(_op.args), _op.ret, name=_op.name)

Const = PSET.mapping["const"]
FEATURE = {name: PSET.mapping[name] for name in FEATURES}
LITERAL = {True: PSET.mapping["True"], False: PSET.mapping["False"]}
PRIMITIVE = {op.name: PSET.mapping[op.name] for op in OPERATIONS}
COMPARISONS = tuple(PRIMITIVE[name] for name in ("lt", "le", "eq", "ge", "gt"))


def constant(value: int) -> gp.Terminal:
    """A constant node holding `value`, built without drawing a random number."""
    node = Const.__new__(Const)
    node.value = value
    return node


def is_constant(node) -> bool:
    return isinstance(type(node), gp.MetaEphemeral)  # also true for a Const unpickled in another process


def is_literal(node) -> bool:
    return node.ret is Bool and node.arity == 0


@dataclass(frozen=True)
class TreeLimits:
    """Static bloat control (Koza): every child the operators return is within both limits."""

    height: int = 8
    nodes: int = 40

    def admit(self, tree: gp.PrimitiveTree) -> bool:
        return len(tree) <= self.nodes and tree.height <= self.height


TREE_LIMITS = TreeLimits()
