"""Reading untrusted Python source (a model's completion, a person's edit, an imported program) into an AST
without letting the text end the process that reads it.

`ast.parse` is linear in the text, but it raises MemoryError (`return ------…x`: the parser's stack) or
RecursionError (building the tree) on deep nesting, ValueError on null bytes, and a tree it does return may be
too deep for the recursive code that reads it afterwards (`ast.unparse`, `compile`, the GP reader). `parse`
caps the size before parsing, turns every parser failure into one named refusal, and measures the tree's
depth without recursion, so what it returns is safe to hand to recursive code. Pure: no Django, no I/O.
"""

import ast

MAX_CHARS = 65_536  # a seeding rule is a few hundred characters; what a model may send is capped at this
MAX_DEPTH = 100  # levels of the tree; real rules stay under 30, ast.unparse needs ~3 frames a level


class Unreadable(SyntaxError):
    """Text that will not be read as a program. `kind` says which limit: SYNTAX (not Python), TOO_LARGE,
    TOO_DEEP; `reason` says it in words. A SyntaxError, as CPython's own nesting limits are, so callers that
    already handle syntax errors handle these too."""

    SYNTAX, TOO_LARGE, TOO_DEEP = "syntax", "too large", "too deep"

    def __init__(self, reason: str, kind: str, line: int | None = None, msg: str | None = None):
        super().__init__(msg or reason)
        self.reason, self.kind, self.lineno = reason, kind, line

    def __str__(self) -> str:
        return self.reason


def parse(source: str, *, max_chars: int | None = MAX_CHARS, max_depth: int | None = MAX_DEPTH,
          filename: str = "<rule>") -> ast.Module:
    """The module, or Unreadable; None for a limit switches it off (the other checks stay)."""
    if not isinstance(source, str):
        raise Unreadable(f"a program is text, not {type(source).__name__}", Unreadable.SYNTAX)
    if max_chars is not None and len(source) > max_chars:
        raise Unreadable(f"{len(source)} characters; at most {max_chars} are read", Unreadable.TOO_LARGE)
    try:
        tree = ast.parse(source, filename=filename)
    except SyntaxError as error:
        where = f" (line {error.lineno})" if error.lineno else ""
        raise Unreadable(f"not valid Python: {error.msg}{where}", Unreadable.SYNTAX, error.lineno,
                         error.msg) from None
    except ValueError as error:  # null bytes (Python 3.11; later versions raise SyntaxError)
        raise Unreadable(f"not valid Python: {error}", Unreadable.SYNTAX, msg=str(error)) from None
    except (MemoryError, RecursionError) as error:  # the parser's own stack limits, not a full memory
        reason = f"nested too deeply to parse ({type(error).__name__})"
        raise Unreadable(reason, Unreadable.TOO_DEEP) from None
    if max_depth is not None:
        depth, line = deepest(tree, max_depth)
        if depth > max_depth:
            where = f"line {line}: " if line else ""
            raise Unreadable(f"{where}nested more than {max_depth} levels deep", Unreadable.TOO_DEEP, line)
    return tree


def deepest(tree: ast.AST, limit: int | None = None) -> tuple[int, int | None]:
    """The tree's depth in nodes and the line where it is reached, found without recursion; the search
    stops at the first node deeper than `limit`."""
    stack = [(tree, 1)]
    depth, line = 0, None
    while stack:
        node, level = stack.pop()
        if level > depth:
            depth, line = level, getattr(node, "lineno", line)
            if limit is not None and depth > limit:
                break
        stack.extend((child, level + 1) for child in ast.iter_child_nodes(node))
    return depth, line
