"""Trees ↔ readable Python: `render` writes `def keep(seed): return …`; `parse` reads such a program back.

`parse` accepts what an LLM or a person plausibly writes for a rule inside the grammar: any function and
parameter name, a docstring, comments, annotations, redundant parentheses, `!=` (as `not ==`), chained
comparisons (`a <= b <= c` as `a <= b and b <= c`), `True`/`False`, integer literals up to MAX_CONSTANT, unary
minus (`0 - x`), `min`/`max` of two or more arguments, `bool(cond)`, local names assigned before use, and
`if cond: return …` branches (folded into and/or; `not` of a comparison becomes the opposite comparison).
Anything else raises OutsideGrammar with the reason, and GP leaves that candidate out of breeding.

The source is untrusted (a model's or a person's): it is read through provenance.pysource (size and depth
capped, parser failures named), and reading is linear in the program. Each `if` folds its branches with what
follows it; that continuation is read once per set of local names rather than once per path (30 `if … pass`
statements were 2^30 readings), and a reading budget (_MAX_WORK steps) refuses what branching with
assignments would still multiply.
"""

import ast
import textwrap

from deap import gp

from provenance import pysource
from provenance.normalise import without_docstring

from .grammar import (
    ATOM,
    FEATURE,
    FEATURES,
    LITERAL,
    MAX_CONSTANT,
    NOT,
    OPERATION,
    PRIMITIVE,
    TREE_LIMITS,
    TYPE_NAMES,
    Bool,
    Int,
    TreeLimits,
    constant,
)


class OutsideGrammar(ValueError):
    """The source is not a program of the GP grammar; `reason` says why."""

    def __init__(self, reason: str, node: ast.AST | None = None):
        if getattr(node, "lineno", None):
            reason = f"line {node.lineno}: {reason}"
        super().__init__(reason)
        self.reason = reason


def render(tree: gp.PrimitiveTree) -> str:
    """The candidate's source: `def keep(seed):\\n    return <expr>\\n`."""
    return f"def keep(seed):\n    return {expression(tree)}\n"


def expression(tree: gp.PrimitiveTree) -> str:
    """The tree as a Python expression over `seed`, with only the parentheses Python needs."""
    stack: list[tuple[str, int]] = []
    # Reversed prefix order: when a primitive comes, its arguments are on the stack, the first on top.
    for node in reversed(tree):
        if isinstance(node, gp.Primitive):
            stack.append(_format(OPERATION[node.name], [stack.pop() for _ in range(node.arity)]))
        elif node.name in FEATURE:
            stack.append((f"seed.{node.name}", ATOM))
        else:
            stack.append((repr(node.value), ATOM))
    (text, _), = stack
    return text


def _format(op, args: list[tuple[str, int]]) -> tuple[str, int]:
    if op.precedence == ATOM:
        return f"{op.symbol}({', '.join(text for text, _ in args)})", ATOM
    if op.precedence == NOT:
        return f"not {_wrap(args[0], op.precedence > args[0][1])}", NOT
    # Left-associative infix: the right operand needs parentheses at equal precedence too.
    (left, right) = args
    return f"{_wrap(left, left[1] < op.precedence)} {op.symbol} {_wrap(right, right[1] <= op.precedence)}", \
        op.precedence


def _wrap(arg: tuple[str, int], needed: bool) -> str:
    return f"({arg[0]})" if needed else arg[0]


def parse(source: str, limits: TreeLimits | None = TREE_LIMITS) -> gp.PrimitiveTree:
    """The tree of a program inside the grammar (and within `limits`, unless None); else OutsideGrammar."""
    if len(source) > MAX_SOURCE:
        raise OutsideGrammar(f"{len(source)} characters: far too long for a rule of the grammar")
    try:
        module = pysource.parse(textwrap.dedent(source))  # depth capped: the reader recurses 3 frames a level
        function = _the_function(module)
        nodes = _Reader(_the_parameter(function)).block(without_docstring(function.body), {}, function)
    except OutsideGrammar:
        raise
    except pysource.Unreadable as error:
        if error.kind == error.SYNTAX:
            where = f" (line {error.lineno})" if error.lineno else ""
            raise OutsideGrammar(f"not valid Python: {error.msg}{where}") from None
        raise OutsideGrammar(f"not readable as a rule: {error.reason}") from None
    except RecursionError:  # defence in depth: the depth cap keeps the reader well inside the stack
        raise OutsideGrammar("not readable as a rule: RecursionError") from None
    tree = gp.PrimitiveTree(nodes)
    if limits is not None and not limits.admit(tree):
        raise OutsideGrammar(
            f"too large to breed: height {tree.height} and {len(tree)} nodes "
            f"(limits: height {limits.height}, {limits.nodes} nodes)"
        )
    return tree


def _the_function(module: ast.Module) -> ast.FunctionDef:
    statements = without_docstring(module.body)
    for statement in statements:
        if isinstance(statement, ast.Import | ast.ImportFrom):
            raise OutsideGrammar("imports are outside the grammar", statement)
    functions = [s for s in statements if isinstance(s, ast.FunctionDef)]
    if len(functions) != 1 or len(statements) != 1:
        others = sorted({type(s).__name__ for s in statements if not isinstance(s, ast.FunctionDef)})
        raise OutsideGrammar(
            f"expected exactly one function and nothing else at module level; found {len(functions)} "
            f"function(s)" + (f" and {', '.join(others)}" if others else "")
        )
    return functions[0]


def _the_parameter(function: ast.FunctionDef) -> str:
    args = function.args
    positional = args.posonlyargs + args.args
    if function.decorator_list:
        raise OutsideGrammar("decorators are outside the grammar", function)
    if len(positional) != 1 or args.vararg or args.kwarg or args.kwonlyargs or args.defaults:
        raise OutsideGrammar(f"{function.name} must take exactly one parameter, the seed", function)
    return positional[0].arg


MAX_SOURCE = 20_000  # characters
_MAX_BUILD = 2_000  # nodes; stops branch duplication from growing without bound before the limits check
_MAX_WORK = 20_000  # statements and expressions read; a rule in the grammar takes a few hundred
_COMPARE = {ast.Lt: "lt", ast.LtE: "le", ast.Eq: "eq", ast.GtE: "ge", ast.Gt: "gt"}
_OPPOSITE = {"lt": "ge", "le": "gt", "gt": "le", "ge": "lt"}
_TRUE, _FALSE = [LITERAL[True]], [LITERAL[False]]


class _Reader:
    """Translates a function body into prefix node lists, checking types as it goes."""

    def __init__(self, parameter: str):
        self.parameter = parameter
        self.work = 0

    def spend(self, node: ast.AST) -> None:
        """One step of reading; past _MAX_WORK the program is refused rather than read exponentially long."""
        self.work += 1
        if self.work > _MAX_WORK:
            raise OutsideGrammar(f"branches too much to fold into one rule (over {_MAX_WORK} reading steps)",
                                 node)

    def block(self, statements: list[ast.stmt], names: dict, owner: ast.AST,
              after: "_Continuation | None" = None) -> list:
        """The condition a sequence of statements returns, going on with `after` (what follows the `if`
        they are a branch of) when they fall through; `names` maps local names to (nodes, type)."""
        for i, statement in enumerate(statements):
            self.spend(statement)
            if isinstance(statement, ast.Return):
                if statement.value is None:
                    raise OutsideGrammar("`return` without a value", statement)
                return self.typed(statement.value, names, Bool, "the returned value")
            if isinstance(statement, ast.Assign | ast.AnnAssign):
                names = {**names, self._target(statement): self.expr(statement.value, names)}
            elif isinstance(statement, ast.If):
                condition = self.typed(statement.test, names, Bool, "an `if` test")
                rest = _Continuation(self, statements[i + 1:], after)
                then = self.block(statement.body, names, statement, rest)
                otherwise = self.block(statement.orelse, names, statement, rest)
                return _bounded(_choose(condition, then, otherwise), statement)
            elif not isinstance(statement, ast.Pass):
                name = type(statement).__name__
                raise OutsideGrammar(f"{name} statements are outside the grammar", statement)
        if after is not None:
            return after.read(names, owner)
        raise OutsideGrammar("a path through the function returns nothing", owner)

    def _target(self, statement: ast.Assign | ast.AnnAssign) -> str:
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        if len(targets) != 1 or not isinstance(targets[0], ast.Name) or statement.value is None:
            raise OutsideGrammar("only `name = expression` assignments are inside the grammar", statement)
        if targets[0].id == self.parameter:
            raise OutsideGrammar(f"assigning to the parameter {self.parameter!r}", statement)
        return targets[0].id

    def typed(self, node: ast.expr, names: dict, type_: type, what: str) -> list:
        nodes, actual = self.expr(node, names)
        if actual is not type_:
            raise OutsideGrammar(f"{what} must be {TYPE_NAMES[type_]}, not {TYPE_NAMES[actual]}", node)
        return nodes

    def expr(self, node: ast.expr, names: dict) -> tuple[list, type]:
        self.spend(node)
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:
            for part in ast.walk(node):  # `seed.indices[6]`: the feature is the real reason
                if isinstance(part, ast.Attribute):
                    self._Attribute(part, names)
            raise OutsideGrammar(f"{type(node).__name__} expressions are outside the grammar", node)
        nodes, type_ = method(node, names)
        return _bounded(nodes, node), type_

    def _Attribute(self, node: ast.Attribute, names: dict):
        if not (isinstance(node.value, ast.Name) and node.value.id == self.parameter):
            raise OutsideGrammar(f"only the features of {self.parameter!r} may be read", node)
        if node.attr in ("sector", "indices"):
            raise OutsideGrammar(f"seed.{node.attr} is family-specific and not in the GP grammar", node)
        if node.attr not in FEATURE:
            raise OutsideGrammar(f"seed.{node.attr} is not a feature (features: {', '.join(FEATURES)})", node)
        return [FEATURE[node.attr]], Int

    def _Name(self, node: ast.Name, names: dict):
        if node.id in names:
            return names[node.id]
        if node.id == self.parameter:
            raise OutsideGrammar(f"{self.parameter!r} itself is not a value; read one of its features", node)
        raise OutsideGrammar(f"unknown name {node.id!r}", node)

    def _Constant(self, node: ast.Constant, names: dict):
        value = node.value
        if isinstance(value, bool):
            return [LITERAL[value]], Bool
        if isinstance(value, int) and 0 <= value <= MAX_CONSTANT:
            return [constant(value)], Int
        raise OutsideGrammar(f"the constant {value!r} is not an integer from 0 to {MAX_CONSTANT}", node)

    def _UnaryOp(self, node: ast.UnaryOp, names: dict):
        if isinstance(node.op, ast.Not):
            return [PRIMITIVE["not_"], *self.typed(node.operand, names, Bool, "the operand of `not`")], Bool
        operand = self.typed(node.operand, names, Int, "the operand of a sign")
        if isinstance(node.op, ast.USub):
            return [PRIMITIVE["sub"], constant(0), *operand], Int
        if isinstance(node.op, ast.UAdd):
            return operand, Int
        raise OutsideGrammar("bitwise inversion is outside the grammar", node)

    def _BinOp(self, node: ast.BinOp, names: dict):
        name = {ast.Add: "add", ast.Sub: "sub"}.get(type(node.op))
        if name is None:
            operator = type(node.op).__name__
            raise OutsideGrammar(f"the operator {operator} is outside the grammar (+, - are in)", node)
        left = self.typed(node.left, names, Int, f"an operand of {OPERATION[name].symbol}")
        right = self.typed(node.right, names, Int, f"an operand of {OPERATION[name].symbol}")
        return [PRIMITIVE[name], *left, *right], Int

    def _BoolOp(self, node: ast.BoolOp, names: dict):
        name = "and_" if isinstance(node.op, ast.And) else "or_"
        what = f"an operand of `{OPERATION[name].symbol}`"
        operands = [self.typed(value, names, Bool, what) for value in node.values]
        return _fold(name, operands), Bool

    def _Compare(self, node: ast.Compare, names: dict):
        for op in node.ops:
            if not isinstance(op, ast.NotEq) and type(op) not in _COMPARE:
                raise OutsideGrammar(f"the comparison {type(op).__name__} is outside the grammar", node)
        operands = [self.typed(v, names, Int, "a compared value") for v in [node.left, *node.comparators]]
        conditions = []
        for op, left, right in zip(node.ops, operands, operands[1:], strict=False):
            if isinstance(op, ast.NotEq):
                conditions.append([PRIMITIVE["not_"], PRIMITIVE["eq"], *left, *right])
            else:
                conditions.append([PRIMITIVE[_COMPARE[type(op)]], *left, *right])
        return _fold("and_", conditions), Bool

    def _Call(self, node: ast.Call, names: dict):
        name = node.func.id if isinstance(node.func, ast.Name) and node.func.id not in names else None
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise OutsideGrammar("keyword or starred arguments are outside the grammar", node)
        if name in ("min", "max") and len(node.args) >= 2:
            return _fold(name, [self.typed(a, names, Int, f"an argument of {name}") for a in node.args]), Int
        if name == "bool" and len(node.args) == 1:
            return self.typed(node.args[0], names, Bool, "the argument of bool"), Bool
        called = ast.unparse(node.func)
        raise OutsideGrammar(f"the call {called}(…) is outside the grammar (min, max are in)", node)

    def _IfExp(self, node: ast.IfExp, names: dict):
        condition = self.typed(node.test, names, Bool, "the test of a conditional expression")
        then = self.typed(node.body, names, Bool, "a branch of a conditional expression")
        otherwise = self.typed(node.orelse, names, Bool, "a branch of a conditional expression")
        return _choose(condition, then, otherwise), Bool


class _Continuation:
    """The statements after an `if` (then whatever follows the block they are in), read once for each set
    of local names that reaches them: both branches of an `if` that assign nothing share one reading."""

    def __init__(self, reader: _Reader, statements: list[ast.stmt], after: "_Continuation | None"):
        self.reader, self.statements, self.after = reader, statements, after
        self.readings: dict[int, tuple[dict, list]] = {}  # id(names) → (names, nodes); names kept alive

    def read(self, names: dict, owner: ast.AST) -> list:
        """`owner`: the `if` whose branch fell through here, named if no path from here returns (an error
        ends the reading, so caching by names alone is exact)."""
        known = self.readings.get(id(names))
        if known is None:
            known = (names, self.reader.block(self.statements, names, owner, self.after))
            self.readings[id(names)] = known
        return known[1]


def _bounded(nodes: list, node: ast.AST) -> list:
    if len(nodes) > _MAX_BUILD:
        raise OutsideGrammar("the expression is far too large to breed", node)
    return nodes


def _fold(name: str, operands: list[list]) -> list:
    """Left fold, as Python groups `a and b and c` and as `min(a, b, c)` computes."""
    nodes = operands[0]
    for operand in operands[1:]:
        nodes = [PRIMITIVE[name], *nodes, *operand]
    return nodes


def _negate(condition: list) -> list:
    """`not condition`, simplified where a reader would: used only when folding `if` branches."""
    if condition in (_TRUE, _FALSE):
        return _FALSE if condition == _TRUE else _TRUE
    root = condition[0]
    if root.name in _OPPOSITE:
        return [PRIMITIVE[_OPPOSITE[root.name]], *condition[1:]]
    if root.name == "not_":
        return condition[1:]
    return [PRIMITIVE["not_"], *condition]


def _choose(condition: list, then: list, otherwise: list) -> list:
    """`then if condition else otherwise` for conditions, written with and/or/not."""
    if then == otherwise:
        return then
    if then == _TRUE:
        return condition if otherwise == _FALSE else [PRIMITIVE["or_"], *condition, *otherwise]
    negated = _negate(condition)
    if then == _FALSE:
        return negated if otherwise == _TRUE else [PRIMITIVE["and_"], *negated, *otherwise]
    if otherwise == _TRUE:
        return [PRIMITIVE["or_"], *negated, *then]
    if otherwise == _FALSE:
        return [PRIMITIVE["and_"], *condition, *then]
    return [PRIMITIVE["or_"], PRIMITIVE["and_"], *condition, *then, PRIMITIVE["and_"], *negated, *otherwise]

