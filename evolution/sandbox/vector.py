"""Fast path: a rule that is one boolean expression of the GP grammar, evaluated with numpy in-process.

The grammar: `def keep(seed): return E` where E is built from int features and context (seed.t, seed.r_top,
…), integer constants, + and - (binary and unary), min/max of two or more ints, comparisons (==, !=, <, <=,
>, >=, chained), and/or/not over booleans, True/False. Anything else, or anything not boolean at the top,
returns None and goes through the child process.

Why running it in the caller's process is safe: nothing of the rule is compiled or executed. `compile_rule`
turns the checked AST into a tuple tree of those eleven node kinds, and `evaluate` interprets it with one
numpy operation per node over the table's distinct rows. There are no loops, calls or names outside that
list, so time and memory are O(nodes × rows), bounded by MAX_NODES. Values are bounded too: leaves are at most
LIMIT in size and min/max/+/- of at most MAX_NODES leaves stay below MAX_NODES × LIMIT < 2**63, so int64
never overflows and the result equals what Python's ints give. Comparisons and ± on ints cannot raise, so
and/or short-circuiting changes nothing. The tests check equality with the child on random programs.

Why it means what CPython means, not merely something close: every position is typed. Integer positions take
only int-valued nodes (no bools: `(seed.t > 1) + 1` is left to the child), boolean positions only
bool-valued ones, so and/or/not only ever see bools and return one (CPython's `seed.d and seed.t` returns an
int, which only the child's return check may judge), and the top is a bool, never an int the child would
accept as 0/1 or refuse as 5. `min`/`max` are the builtins only where the rule does not bind those names,
and `keep` must be a plain `def keep(name):` with nothing evaluated at definition time.
tests/evolution/test_the_fast_path_means_what_python_means.py checks this against CPython with Hypothesis.
"""

import ast
import operator

import numpy as np

from .policy import is_docstring
from .table import SeedTable

MAX_NODES = 256
LIMIT = 2**40
_ARITH = {ast.Add: np.add, ast.Sub: np.subtract}
_COMPARE = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
}


def compile_rule(tree: ast.Module, table: SeedTable) -> tuple | None:
    """The rule as an expression tree, or None when it is outside the fast grammar or the table's range."""
    keep = _plain_keep(tree)
    if keep is None:
        return None
    statements = [n for i, n in enumerate(keep.body) if not (i == 0 and is_docstring(n))]
    if len(statements) != 1 or not isinstance(statements[0], ast.Return) or statements[0].value is None:
        return None
    if sum(1 for _ in ast.walk(statements[0])) > MAX_NODES or table.largest() >= LIMIT:
        return None
    columns = {name: ("col", i) for i, name in enumerate(table.names)}
    columns.update({name: ("const", value) for name, value in table.context.items()})
    return _Compiler(keep.args.args[0].arg, columns).boolean(statements[0].value)


def _plain_keep(tree: ast.Module) -> ast.FunctionDef | None:
    """The module's one statement when it is `def keep(<name>):` with nothing that runs at definition time.
    The policy refuses decorators, defaults and annotations, but gp/vectorised.py compiles sources it never
    checked: a `def keep(seed=1 // 0)` raises in CPython and must not be scored here."""
    body = [n for i, n in enumerate(tree.body) if not (i == 0 and is_docstring(n))]
    if len(body) != 1 or not isinstance(body[0], ast.FunctionDef) or body[0].name != "keep":
        return None
    keep, a = body[0], body[0].args
    plain = not (a.posonlyargs or a.vararg or a.kwonlyargs or a.kwarg or a.defaults or a.kw_defaults)
    if not plain or len(a.args) != 1 or a.args[0].annotation or keep.returns or keep.decorator_list:
        return None
    return keep


def evaluate(expression: tuple, table: SeedTable) -> np.ndarray:
    rows, inverse = table.unique()
    values = _eval(expression, rows)
    return np.broadcast_to(values, (len(rows),))[inverse].astype(bool)


class _Compiler:
    def __init__(self, seed: str, columns: dict) -> None:
        self.seed = seed
        self.columns = columns
        # `min`/`max` are the builtins only where the rule does not bind the name: under `def keep(max):`
        # CPython calls the seed (TypeError), so such a call is left to the child.
        self.builtins = {"min", "max"} - {seed, "keep"}

    def integer(self, node: ast.AST) -> tuple | None:
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == self.seed
        ):
            return self.columns.get(node.attr)
        if isinstance(node, ast.Constant) and type(node.value) is int and abs(node.value) < LIMIT:
            return ("const", node.value)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            inner = self.integer(node.operand)
            return inner and (("neg", inner) if isinstance(node.op, ast.USub) else inner)
        if isinstance(node, ast.BinOp) and type(node.op) in _ARITH:
            left, right = self.integer(node.left), self.integer(node.right)
            return left and right and (_ARITH[type(node.op)], left, right)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in self.builtins
            and len(node.args) >= 2
            and not node.keywords
        ):
            args = [self.integer(a) for a in node.args]
            return None if None in args else (np.minimum if node.func.id == "min" else np.maximum, *args)
        return None

    def boolean(self, node: ast.AST) -> tuple | None:
        if isinstance(node, ast.Constant) and type(node.value) is bool:
            return ("const", node.value)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            inner = self.boolean(node.operand)
            return inner and (np.logical_not, inner)
        if isinstance(node, ast.BoolOp):
            parts = [self.boolean(v) for v in node.values]
            combine = np.logical_and if isinstance(node.op, ast.And) else np.logical_or
            return None if None in parts else (combine, *parts)
        if isinstance(node, ast.Compare) and all(type(op) in _COMPARE for op in node.ops):
            terms = [self.integer(t) for t in [node.left, *node.comparators]]
            if None in terms:
                return None
            links = [
                (_COMPARE[type(op)], a, b) for op, a, b in zip(node.ops, terms[:-1], terms[1:], strict=True)
            ]
            return links[0] if len(links) == 1 else (np.logical_and, *links)
        return None


def _eval(node: tuple, rows: np.ndarray):
    head = node[0]
    if head == "col":
        return rows[:, node[1]]
    if head == "const":
        return np.int64(node[1]) if type(node[1]) is int else np.bool_(node[1])
    if head == "neg":
        return np.negative(_eval(node[1], rows))
    values = [_eval(child, rows) for child in node[1:]]
    if head in (np.logical_and, np.logical_or, np.minimum, np.maximum):
        result = values[0]
        for value in values[1:]:
            result = head(result, value)
        return result
    return head(*values)
