"""A program as the list of its sub-expressions, each with a structural key, a label and its place.

The tree is the normalised one (provenance.normalise: the tree `ast_hash` is computed from), so two
sub-expressions get the same key exactly when they are the same normalised code, however each is laid out,
commented or named. Keys are hash-consed integers from a table shared by every tree of one attribution:
equal keys mean equal subtrees, with no hash collisions. A node's label is the node without its children
(its type, operators, names, constants), so nodes of two trees can be aligned where only a child changed.

Nodes are in preorder, so a subtree is a contiguous slice [i, i + size). Reading is linear in the program;
the program is read through provenance.pysource's size and depth caps. Pure: no Django.
"""

import ast
import re
from dataclasses import dataclass, field

from provenance.normalise import normalised_tree

# Operators and contexts carry no text of their own place: they belong to the label of the node using them.
OPERATORS = (ast.operator, ast.boolop, ast.cmpop, ast.unaryop, ast.expr_context)
NEWLINE = re.compile(rb"\r\n|\r|\n")


class Keys:
    """Hash-consing table: (label, child keys) → a small integer, the same for every tree read with it."""

    def __init__(self):
        self.table: dict[tuple, int] = {}

    def __call__(self, label: tuple, children: tuple[int, ...]) -> int:
        return self.table.setdefault((label, children), len(self.table))


@dataclass
class Node:
    label: tuple
    children: list[int] = field(default_factory=list)  # indices of child nodes, in field order
    key: int = -1
    size: int = 1  # nodes in the subtree, this one included
    span: tuple[int, int] | None = None  # UTF-8 byte offsets in the source; None: no place of its own


@dataclass
class Tree:
    text: bytes  # the source as UTF-8: the parser's offsets count bytes
    nodes: list[Node]
    first: dict[int, int]  # key → index of its first occurrence in preorder

    def covered(self, i: int) -> list[int]:
        """The nearest placed descendants of node i, in text order (what its own text lies between)."""
        found, stack = [], list(reversed(self.nodes[i].children))
        while stack:
            j = stack.pop()
            if self.nodes[j].span is not None:
                found.append(j)
            else:
                stack.extend(reversed(self.nodes[j].children))
        return sorted(found, key=lambda j: self.nodes[j].span)


def read(source: str, keys: Keys) -> Tree:
    """The program's tree; SyntaxError (pysource.Unreadable) if it does not parse or is past the caps."""
    module = normalised_tree(source)
    try:
        text = source.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: the parser's byte offsets would mean nothing
        raise SyntaxError("not UTF-8 text") from None
    starts = [0, *(m.end() for m in NEWLINE.finditer(text))]
    nodes: list[Node] = []
    stack: list[tuple[ast.AST, int | None]] = [(module, None)]
    while stack:
        node, parent = stack.pop()
        label, children = _split(node)
        nodes.append(Node(label, span=_span(node, starts, len(text))))
        if parent is not None:
            nodes[parent].children.append(len(nodes) - 1)
        stack.extend((child, len(nodes) - 1) for child in reversed(children))
    for node in reversed(nodes):  # children come after their parent in preorder
        node.key = keys(node.label, tuple(nodes[c].key for c in node.children))
        node.size += sum(nodes[c].size for c in node.children)
    first: dict[int, int] = {}
    for i, node in enumerate(nodes):
        first.setdefault(node.key, i)
    _drop_misplaced(nodes)
    return Tree(text, nodes, first)


def _split(node: ast.AST) -> tuple[tuple, list[ast.AST]]:
    """The node's label (type and every field that is no sub-expression) and its sub-expressions."""
    shape, children = [type(node).__name__], []
    for name in node._fields:
        value = getattr(node, name, None)
        values = value if isinstance(value, list) else [value]
        parts = []
        for item in values:
            if isinstance(item, OPERATORS):
                parts.append(type(item).__name__)
            elif isinstance(item, ast.AST):
                parts.append("*")
                children.append(item)
            else:  # the type too: 1, True and 1.0 are equal in Python, not in a program
                parts.append((type(item).__name__, item))
        shape.append((name, tuple(parts) if isinstance(value, list) else parts[0]))
    return tuple(shape), children


def _span(node: ast.AST, starts: list[int], size: int) -> tuple[int, int] | None:
    lines = getattr(node, "lineno", None), getattr(node, "end_lineno", None)
    columns = getattr(node, "col_offset", None), getattr(node, "end_col_offset", None)
    if None in lines or None in columns or not 1 <= lines[0] <= lines[1] <= len(starts):
        return None
    start, end = starts[lines[0] - 1] + columns[0], starts[lines[1] - 1] + columns[1]
    return (start, end) if 0 <= start <= end <= size else None


def _drop_misplaced(nodes: list[Node]) -> None:
    """A place outside its placed ancestor's (f-strings' parts, in some Python versions) is forgotten: the
    text is then painted as the ancestor's, never twice."""
    outer: list[tuple[int, int] | None] = [None] * len(nodes)
    for i, node in enumerate(nodes):
        bound = outer[i]
        if node.span is not None and bound is not None and not (bound[0] <= node.span[0] <= node.span[1]
                                                                 <= bound[1]):
            node.span = None
        for child in node.children:
            outer[child] = node.span or bound


def paint(tree: Tree) -> list[tuple[int, int, int | None]]:
    """The text cut into (start, end, node): each byte in the one innermost placed node whose own text it
    is (None: between top-level statements: comments, blank lines). In text order, every byte once."""
    pieces: list[tuple[int, int, int | None]] = []
    _paint(tree, 0, (0, len(tree.text)), None, pieces)
    return [piece for piece in pieces if piece[0] < piece[1]]


def _paint(tree: Tree, i: int, bounds: tuple[int, int], owner: int | None, pieces: list) -> None:
    """Node i's text within bounds: its own between its placed descendants, theirs painted by them. The
    bounds only shrink and the cursor only moves on, so no byte is painted twice (overlapping places)."""
    cursor, end = bounds
    for j in tree.covered(i):
        start, stop = tree.nodes[j].span
        start, stop = max(start, cursor), min(stop, end)
        if start >= stop:
            continue
        pieces.append((cursor, start, owner))
        _paint(tree, j, (start, stop), j, pieces)
        cursor = stop
    pieces.append((cursor, end, owner))
