"""Static policy for a seeding rule: an AST whitelist. Standard library only (the zygote imports it too).

What passes is a small, loop-and-arithmetic subset of Python: top-level `def`s (exactly one `keep(seed)`,
plus helpers of plain positional arguments) and top-level constant assignments; inside functions
assignments, if/for/while, return; expressions of names, numbers, arithmetic, comparisons, boolean logic,
conditional expressions, tuples/lists, subscripts, comprehensions, calls to a few safe builtins or to the
helpers, and `x.attr` only for a seed attribute name. Helpers are allowed because they are as confined as
`keep` itself (same builtins, same attribute rule) and LLM programs use them.

No name the rule may call (an allowed builtin, a helper, keep) may be bound by the rule: not as a parameter,
an assignment, a loop or comprehension variable, nor a function's name. This policy, the fast path
(vector.py) and anyone reading `max(a, b)` take a call of such a name to mean that builtin or helper; under
`def keep(max):` it would call the seed, and the fast path would disagree with CPython. Other builtins may be
bound: the child's builtins hold only SAFE_BUILTINS, so rebinding, say, `filter` changes nothing the rule
can observe (an unbound use raises NameError in the child: a failure, never a different selection), and
refusing every name in `builtins` would make the verdict depend on the Python version.

This layer gives clear reasons early; it is not the security boundary (restricted Python never is). The
child process's limits and syscall filter are (see zygote.py).
"""

import ast
from collections.abc import Iterable

SAFE_BUILTINS = (
    "abs",
    "all",
    "any",
    "bool",
    "divmod",
    "enumerate",
    "int",
    "len",
    "list",
    "max",
    "min",
    "range",
    "reversed",
    "round",
    "sorted",
    "sum",
    "tuple",
    "zip",
)
# The problem tables' features (evolution.problems.FEATURES, the context and `indices`), written out: this
# module imports nothing of the project (the zygote runs it as a script). A test checks that they agree.
SEED_ATTRIBUTES = (
    "t", "r", "s", "d", "sector", "indices", "t_top", "r_top", "s_top",
    "d_in", "d_out", "d_max", "s_isp", "s_pinched", "s_max", "pinched", "r_sec",
)
# Refused by name even where they are only mentioned, so that the reason says why.
FORBIDDEN_NAMES = frozenset(
    (
        "exec",
        "eval",
        "compile",
        "open",
        "globals",
        "locals",
        "vars",
        "getattr",
        "setattr",
        "delattr",
        "hasattr",
        "input",
        "breakpoint",
        "help",
        "print",
        "type",
        "object",
        "super",
        "memoryview",
        "dir",
        "id",
        "classmethod",
        "staticmethod",
        "property",
        "exit",
        "quit",
    )
)
MAX_SOURCE_BYTES = 20_000
MAX_NODES = 4_000

# Node types that may appear anywhere inside a function body, and carry no further restriction of their own.
_PLAIN = (
    ast.Return,
    ast.If,
    ast.For,
    ast.While,
    ast.Break,
    ast.Continue,
    ast.Pass,
    ast.Expr,
    ast.BoolOp,
    ast.BinOp,
    ast.UnaryOp,
    ast.Compare,
    ast.IfExp,
    ast.Tuple,
    ast.List,
    ast.Subscript,
    ast.Slice,
    ast.ListComp,
    ast.GeneratorExp,
    ast.comprehension,
    ast.Load,
    ast.Store,
    ast.And,
    ast.Or,
    ast.Not,
    ast.USub,
    ast.UAdd,
    ast.Invert,
    ast.Add,
    ast.Sub,
    ast.Mult,
    ast.Div,
    ast.FloorDiv,
    ast.Mod,
    ast.Pow,
    ast.LShift,
    ast.RShift,
    ast.BitAnd,
    ast.BitOr,
    ast.BitXor,
    ast.Eq,
    ast.NotEq,
    ast.Lt,
    ast.LtE,
    ast.Gt,
    ast.GtE,
    ast.In,
    ast.NotIn,
    ast.Is,
    ast.IsNot,
)

# Human names for what is refused, so that a refusal reads as a sentence.
_NAMES = {
    ast.Import: "import statements",
    ast.ImportFrom: "import statements",
    ast.ClassDef: "class definitions",
    ast.Lambda: "lambda expressions",
    ast.With: "with statements",
    ast.AsyncWith: "with statements",
    ast.Try: "try statements",
    ast.Raise: "raise statements",
    ast.Assert: "assert statements",
    ast.AsyncFunctionDef: "async functions",
    ast.AsyncFor: "async loops",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
    ast.Global: "global statements",
    ast.Nonlocal: "nonlocal statements",
    ast.Delete: "del statements",
    ast.NamedExpr: "the := operator",
    ast.JoinedStr: "f-strings",
    ast.Starred: "starred expressions",
    ast.Dict: "dict displays",
    ast.Set: "set displays",
    ast.DictComp: "dict comprehensions",
    ast.SetComp: "set comprehensions",
    ast.MatMult: "the @ operator",
    ast.Match: "match statements",
    ast.AnnAssign: "annotated assignments",
}
if hasattr(ast, "TryStar"):
    _NAMES[ast.TryStar] = "try statements"


class Refused(ValueError):
    """The source breaks the static policy; the message names the line and the construct."""

    def __init__(self, line: int | None, what: str) -> None:
        self.line = line
        self.what = what
        super().__init__(f"line {line}: {what}" if line else what)


def check(
    source: str,
    attributes: Iterable[str] = SEED_ATTRIBUTES,
    max_source_bytes: int = MAX_SOURCE_BYTES,
    max_nodes: int = MAX_NODES,
) -> ast.Module:
    """Refuse anything outside the whitelist; return the parsed module on success."""
    if not isinstance(source, str):
        raise Refused(None, "the rule must be Python source text")
    size = len(source.encode("utf-8", errors="replace"))
    if size > max_source_bytes:
        raise Refused(None, f"the source is {size} bytes; at most {max_source_bytes} are allowed")
    try:
        # Its own parse, not provenance.pysource's: the zygote imports this module as a script, and must
        # import nothing of the project (the provenance package brings Celery, sockets and all).
        tree = ast.parse(source, filename="<rule>")
    except SyntaxError as error:
        raise Refused(error.lineno, f"syntax error: {error.msg}") from None
    except (ValueError, MemoryError, RecursionError) as error:  # null bytes, absurd nesting
        raise Refused(None, f"the source cannot be parsed ({type(error).__name__})") from None
    nodes = list(ast.walk(tree))
    if len(nodes) > max_nodes:
        raise Refused(None, f"the program has {len(nodes)} syntax nodes; at most {max_nodes} are allowed")
    _refuse_forbidden(nodes)
    _Checker(tree, frozenset(attributes)).check_module()
    return tree


def _refuse_forbidden(nodes: list[ast.AST]) -> None:
    """What is never allowed anywhere, reported first (in source order): the reason names the real problem."""
    for node in sorted(nodes, key=lambda n: (getattr(n, "lineno", 0), getattr(n, "col_offset", 0))):
        if type(node) in _NAMES:
            raise _refuse(node, f"{_NAMES[type(node)]} are not allowed")
        name = _name_of(node)
        if name is None:
            continue
        if name.startswith("_"):
            kind = "attribute" if isinstance(node, ast.Attribute) else "name"
            raise _refuse(node, f"the {kind} {name} is not allowed (no dunder or _private names)")
        if name in FORBIDDEN_NAMES and not isinstance(node, ast.Attribute):
            raise _refuse(node, f"the name {name} is not allowed")


def _name_of(node: ast.AST) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.FunctionDef):
        return node.name
    if isinstance(node, ast.arg):
        return node.arg
    if isinstance(node, ast.keyword):
        return node.arg
    return None


def _refuse(node: ast.AST, what: str) -> Refused:
    return Refused(getattr(node, "lineno", None), what)


def is_docstring(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


class _Checker:
    def __init__(self, tree: ast.Module, attributes: frozenset[str]) -> None:
        self.tree = tree
        self.attributes = attributes
        self.helpers = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)} - {"keep"}
        self.callable = set(SAFE_BUILTINS) | self.helpers | {"keep"}

    def check_module(self) -> None:
        keeps = [n for n in self.tree.body if isinstance(n, ast.FunctionDef) and n.name == "keep"]
        if len(keeps) != 1:
            raise Refused(None, "the program must define exactly one top-level function keep(seed)")
        for index, node in enumerate(self.tree.body):
            if isinstance(node, ast.FunctionDef):
                self.check_function(node)
            elif isinstance(node, ast.Assign):
                self.check_assign(node)
                for part in ast.walk(node):
                    if isinstance(part, ast.Assign):
                        continue
                    if isinstance(part, ast.Call):
                        raise _refuse(part, "top-level assignments may only hold constant expressions")
                    self.check_node(part)
            elif not (index == 0 and is_docstring(node)):
                raise _refuse(node, f"{self.describe(node)} are not allowed at the top level")
        if len(keeps[0].args.args) != 1:
            raise _refuse(keeps[0], "keep must take exactly one argument, the seed")

    def check_function(self, fn: ast.FunctionDef) -> None:
        self.check_name(fn, fn.name)
        if fn.name in SAFE_BUILTINS:
            raise _refuse(fn, f"a function may not be named after the builtin {fn.name}")
        if fn.decorator_list:
            raise _refuse(fn, "decorators are not allowed")
        a = fn.args
        if a.posonlyargs or a.vararg or a.kwonlyargs or a.kwarg or a.defaults or a.kw_defaults:
            raise _refuse(
                fn, "functions take plain positional arguments only (no defaults, *args or **kwargs)"
            )
        if fn.returns or any(arg.annotation for arg in a.args):
            raise _refuse(fn, "annotations are not allowed")
        for arg in a.args:
            self.check_name(arg, arg.arg)
            if arg.arg in self.callable:
                raise _refuse(arg, f"the parameter {arg.arg} shadows {self.callee(arg.arg)}; rename it")
        for index, statement in enumerate(fn.body):
            if index == 0 and is_docstring(statement):
                continue
            for node in ast.walk(statement):
                self.check_node(node)

    def check_assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            for part in ast.walk(target):
                if not isinstance(part, ast.Name | ast.Tuple | ast.List | ast.Store):
                    raise _refuse(part, "only plain names can be assigned to")

    def check_node(self, node: ast.AST) -> None:
        if isinstance(node, _PLAIN):
            return
        if isinstance(node, ast.Name):
            self.check_name(node, node.id)
            if isinstance(node.ctx, ast.Store) and node.id in self.callable:
                shadowed = self.callee(node.id)
                raise _refuse(node, f"the name {node.id} may not be reassigned (it shadows {shadowed})")
        elif isinstance(node, ast.Constant):
            if not isinstance(node.value, bool | int | float | type(None)):
                raise _refuse(node, f"{type(node.value).__name__} constants are not allowed (numbers only)")
        elif isinstance(node, ast.Attribute):
            if node.attr.startswith("_"):
                raise _refuse(node, f"access to the private attribute {node.attr} is not allowed")
            if node.attr not in self.attributes:
                known = ", ".join(sorted(self.attributes))
                raise _refuse(node, f"unknown attribute {node.attr} (a seed has {known})")
            if not isinstance(node.value, ast.Name) or not isinstance(node.ctx, ast.Load):
                raise _refuse(node, "attributes may only be read, directly from a seed variable")
        elif isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in self.callable:
                what = (
                    node.func.id
                    if isinstance(node.func, ast.Name)
                    else f"the method {node.func.attr}"
                    if isinstance(node.func, ast.Attribute)
                    else "the result of an expression"
                )
                raise _refuse(
                    node, f"calling {what} is not allowed (allowed: helpers and {', '.join(SAFE_BUILTINS)})"
                )
            if any(k.arg is None for k in node.keywords):
                raise _refuse(node, "**keyword arguments are not allowed")
        elif isinstance(node, ast.Assign):
            self.check_assign(node)
        elif isinstance(node, ast.AugAssign):
            if not isinstance(node.target, ast.Name):
                raise _refuse(node, "only plain names can be assigned to")
        elif isinstance(node, ast.keyword):
            self.check_name(node, node.arg or "")
        elif isinstance(node, ast.FunctionDef):
            raise _refuse(node, "functions must be defined at the top level, not nested")
        else:
            raise _refuse(node, f"{self.describe(node)} are not allowed")

    def check_name(self, node: ast.AST, name: str) -> None:
        if name.startswith("_"):
            raise _refuse(node, f"the name {name} is not allowed (no dunder or _private names)")
        if name in FORBIDDEN_NAMES:
            raise _refuse(node, f"the name {name} is not allowed")

    def callee(self, name: str) -> str:
        return f"the builtin {name}" if name in SAFE_BUILTINS else f"the function {name}"

    @staticmethod
    def describe(node: ast.AST) -> str:
        return _NAMES.get(type(node), f"{type(node).__name__} nodes")
