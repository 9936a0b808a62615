"""A rule in mathematical notation: `def keep(seed): return seed.d == 0 and seed.s <= …` as
`d = 0 \\land s \\le s_{\\mathrm{top}} - …`, for the results section of the LaTeX supplement.

Only a rule that is one returned expression of the seed's features, integers, arithmetic, comparisons,
and/or/not, min/max/abs is written as math; anything else (local names, branches, other calls) gets None and
the reader is pointed at the code. The source is untrusted: it is read by provenance.pysource, and nothing of
it reaches LaTeX but the feature names below and integers, so no text of the program is ever typeset here.
"""

import ast

from provenance import pysource
from provenance.normalise import without_docstring

FEATURES = {
    "t": "t",
    "r": "r",
    "s": "s",
    "d": "d",
    "sector": r"\sigma",
    "t_top": r"t_{\mathrm{top}}",
    "r_top": r"r_{\mathrm{top}}",
    "s_top": r"s_{\mathrm{top}}",
    # Where dots and numerators sit (solver/seed_features.py).
    "d_in": r"d_{\mathrm{in}}",
    "d_out": r"d_{\mathrm{out}}",
    "d_max": r"d_{\max}",
    "s_isp": r"s_{\mathrm{ISP}}",
    "s_pinched": r"s_{\mathrm{pinch}}",
    "s_max": r"s_{\max}",
    "pinched": r"n_{\mathrm{pinch}}",
    "r_sec": r"r_{\mathrm{sec}}",
}
COMPARE = {ast.Eq: "=", ast.NotEq: r"\neq", ast.Lt: "<", ast.LtE: r"\le", ast.Gt: ">", ast.GtE: r"\ge"}
ARITHMETIC = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: r"\cdot",
    ast.FloorDiv: r"\mathbin{//}",
    ast.Mod: r"\bmod",
}
BOOLEAN = {ast.And: r"\;\land\;", ast.Or: r"\;\lor\;"}
FUNCTIONS = {"max": r"\max", "min": r"\min"}
MAX_TERMS = 60  # a longer formula is no clearer than the code


class NoNotation(Exception):
    pass


def rule_math(source: str) -> str | None:
    """The rule's returned condition as LaTeX math, or None when it is not a plain formula."""
    try:
        function = _keep(pysource.parse(source, max_chars=4000))
        return _expr(function.body[0].value, function.args.args[0].arg, [0])
    except (SyntaxError, NoNotation):
        return None


def _keep(module: ast.Module) -> ast.FunctionDef:
    functions = [node for node in module.body if isinstance(node, ast.FunctionDef)]
    if len(functions) != 1 or len(functions[0].args.args) != 1:
        raise NoNotation
    body = without_docstring(functions[0].body)
    if len(body) != 1 or not isinstance(body[0], ast.Return) or body[0].value is None:
        raise NoNotation
    functions[0].body = body
    return functions[0]


def _expr(node: ast.expr, seed: str, terms: list[int]) -> str:
    terms[0] += 1
    if terms[0] > MAX_TERMS:
        raise NoNotation
    match node:
        case ast.Attribute(value=ast.Name(id=name), attr=attr) if name == seed and attr in FEATURES:
            return FEATURES[attr]
        case ast.Constant(value=bool() as value):
            return r"\mathrm{" + str(value).lower() + "}"
        case ast.Constant(value=int() as value) if abs(value) < 10**12:
            return str(value)
        case ast.BoolOp(op=op, values=values):
            # A comparison binds tighter than and/or: no parentheses needed around it.
            return BOOLEAN[type(op)].join(
                _expr(v, seed, terms) if isinstance(v, ast.Compare) else _wrapped(v, seed, terms)
                for v in values
            )
        case ast.UnaryOp(op=ast.Not(), operand=operand):
            return r"\lnot " + _wrapped(operand, seed, terms)
        case ast.UnaryOp(op=ast.USub(), operand=operand):
            return "-" + _wrapped(operand, seed, terms)
        case ast.Compare(left=left, ops=ops, comparators=rights) if all(type(o) in COMPARE for o in ops):
            parts = [_expr(left, seed, terms)]
            for op, right in zip(ops, rights, strict=True):
                parts += [COMPARE[type(op)], _expr(right, seed, terms)]
            return " ".join(parts)
        case ast.BinOp(left=left, op=op, right=right) if type(op) in ARITHMETIC:
            return f"{_wrapped(left, seed, terms)} {ARITHMETIC[type(op)]} {_wrapped(right, seed, terms)}"
        case ast.Call(func=ast.Name(id=name), args=args, keywords=[]) if name in FUNCTIONS and args:
            return FUNCTIONS[name] + "(" + ", ".join(_expr(a, seed, terms) for a in args) + ")"
        case ast.Call(func=ast.Name(id="abs"), args=[arg], keywords=[]):
            return r"\lvert " + _expr(arg, seed, terms) + r"\rvert "
    raise NoNotation


def _wrapped(node: ast.expr, seed: str, terms: list[int]) -> str:
    """In parentheses unless it is a single symbol, number or function."""
    text = _expr(node, seed, terms)
    simple = isinstance(node, ast.Attribute | ast.Constant | ast.Call)
    return text if simple else "(" + text + ")"
