"""A normalised form and hash of any program source, so that a rediscovered program is recognised.

Normalising drops what does not change the program: comments, docstrings, formatting, redundant
parentheses, annotations of the rule function, the rule function's name (→ `keep`) and its parameter's name
(→ `seed`). It does not rewrite the logic (`a <= b` and `b >= a` stay different programs). For sources inside
the GP grammar, `render(parse(source))` is a stronger canonical form. Pure: no Django, no I/O.

The source is untrusted: it is read through provenance.pysource, so a program too large or nested too deep
for `ast.unparse` is refused (pysource.Unreadable, a SyntaxError) rather than raising RecursionError or
MemoryError.
"""

import ast

from provenance import pysource

RULE, PARAMETER = "keep", "seed"


def normalise(source: str) -> str:
    """Canonical source (ast.unparse of the cleaned tree); SyntaxError if the source does not parse (or is
    beyond pysource's size and depth limits)."""
    return ast.unparse(normalised_tree(source))


def normalised_tree(source: str) -> ast.Module:
    """The cleaned tree that `normalise` writes out. Its nodes keep their places in `source` (lineno,
    col_offset), so what is found in the tree can be pointed at in the text (provenance.attribution)."""
    module = pysource.parse(source)
    for node in ast.walk(module):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            node.body = without_docstring(node.body) or [ast.Pass()]
    rule = _rule(module)
    if rule is not None:
        rule.returns = None
        for arg in rule.args.posonlyargs + rule.args.args + rule.args.kwonlyargs:
            arg.annotation = None
        _rename(module, rule.name, RULE)
        parameters = rule.args.posonlyargs + rule.args.args
        if len(parameters) == 1:
            _rename(rule, parameters[0].arg, PARAMETER)
    return module


def _rule(module: ast.Module) -> ast.FunctionDef | None:
    """The function named keep, else the only top-level function, else None."""
    functions = [node for node in module.body if isinstance(node, ast.FunctionDef)]
    named = [f for f in functions if f.name == RULE]
    return named[0] if named else (functions[0] if len(functions) == 1 else None)


def without_docstring(body: list[ast.stmt]) -> list[ast.stmt]:
    """The statements of a module, function or class body after its docstring, if any."""
    first = body[0] if body else None
    docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) \
        and isinstance(first.value.value, str)
    return body[1:] if docstring else body


def _rename(scope: ast.AST, old: str, new: str) -> None:
    """Rename `old` to `new` throughout `scope` if `new` is unused there: a bijection keeps the meaning."""
    if old == new or new in _identifiers(scope):
        return
    for node in ast.walk(scope):
        if isinstance(node, ast.alias | ast.keyword):  # module and keyword-argument names are not variables
            continue
        for attribute in ("id", "arg", "name"):
            if getattr(node, attribute, None) == old:
                setattr(node, attribute, new)


def _identifiers(scope: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(scope):
        for attribute in ("id", "arg", "name"):
            value = getattr(node, attribute, None)
            if isinstance(value, str):
                names.add(value)
    return names
