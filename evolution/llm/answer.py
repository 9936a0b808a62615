"""A chat model's answer, read for the function it proposes.

Chat models rarely continue the prompt: they answer in prose around Markdown fences ("Here is the rule:" then
```python … ```), often after their reasoning (<think>…</think>), sometimes with several blocks (the old
version quoted, then the new one; an example of use) or with a helper beside `keep`. The function is, in
this order: the first fenced block that defines the version the prompt asked for (keep_v{k}), else the first
that defines `keep`, else the first such `def` in the prose with the indented lines under it. It becomes the
header's `def keep(…):` over the function's own body, followed by the block's other definitions (helpers,
constants, imports; the sandbox judges them) and nothing else: example calls, prints and the quoted earlier
versions are not the program. The LLM call keeps the answer as it was sent.

An answer is untrusted text: reasoning is cut out by a scan, blocks are found in one pass (scan.fences),
a block is parsed only when one of its lines opens the function, at most MAX_TRIES of them, each through
scan.parsed_prefix (bounded cuts, provenance.pysource's size and depth limits).
"""

from __future__ import annotations

import ast
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass

from evolution.llm import scan
from evolution.llm.prompt import FUNCTION, source_lines

# Tags that models wrap their reasoning in (DeepSeek-R1, Qwen3, QwQ: think; others thinking, reasoning).
REASONING_TAGS = ("think", "thinking", "reasoning")
TAGS = tuple(f"<{slash}{name}>" for name in REASONING_TAGS for slash in ("", "/"))
MAX_TRIES = 3  # blocks parsed before giving up: each parse may cut MAX_CUTS times
# What a program may define beside its function; anything else at the top level is an example, not the rule.
DEFINITIONS = (ast.FunctionDef, ast.ClassDef, ast.Assign, ast.AnnAssign, ast.Import, ast.ImportFrom)


@dataclass(frozen=True)
class Found:
    program: str  # the header's signature over the function's body, then the other definitions
    where: str  # "fenced block 2 of 3", "prose": for the record of how the program was read


def program_in(text: str, blocks: list[str], name: str, signature: str) -> Found | None:
    """The program an answer (without its reasoning: `text`, its fenced `blocks`) proposes for `name`
    (keep_v{k}), written under `signature`; None when it defines no such function (the caller then reads
    it as a continuation of the prompt)."""
    names = (name, FUNCTION)
    tries = 0
    for index, block in ranked(blocks, names):
        found = function_in(block, names, signature)
        if found is not None:
            return Found(found, f"fenced block {index + 1} of {len(blocks)}")
        tries += 1
        if tries >= MAX_TRIES:
            return None
    for wanted in names:
        block = block_in_prose(text, wanted)
        if block is not None:
            found = function_in(block, names, signature)
            return None if found is None else Found(found, "prose")
    return None


def without_reasoning(text: str) -> str:
    """The answer without its reasoning: each <think>…</think> span taken out; what comes before a closing
    tag whose opening is missing (some servers strip it) is reasoning too, and so is what follows an
    opening that never closes (cut off by max_tokens). One pass over the `<` of the text."""
    kept, start, inside = [], 0, False
    at = text.find("<")
    while at >= 0:
        tag = next((t for t in TAGS if text.startswith(t, at)), None)
        if tag is not None and not tag.startswith("</"):
            if not inside:
                kept.append(text[start:at])
            inside = True
        elif tag is not None:
            if not inside:
                kept = []  # a closing tag alone: all before it was reasoning
            start, inside = at + len(tag), False
        at = text.find("<", at + 1)
    if not kept and start == 0 and not inside:
        return text  # no reasoning: the text itself, not a copy
    return "".join(kept) + ("" if inside else text[start:])


def ranked(blocks: list[str], names: tuple[str, ...]) -> Iterator[tuple[int, str]]:
    """Blocks that open one of `names`, those of the first name first, each in the answer's order."""
    for wanted in names:
        for index, block in enumerate(blocks):
            if opening_line(block, wanted) is not None:
                yield index, block


def opening_line(code: str, name: str) -> int | None:
    """The index of the first line that opens `def name(`, however indented; None without one. One pass
    over the lines, no regular expression."""
    for index, line in enumerate(source_lines(code)):
        stripped = line.lstrip(" \t")
        if not stripped.startswith("def"):
            continue
        rest = stripped[3:]
        after = rest.lstrip(" \t")
        spaced = len(after) < len(rest)  # `def` then at least one space: `define(` is not a definition
        if spaced and after.startswith(name) and after[len(name):].lstrip(" \t").startswith("("):
            return index
    return None


def block_in_prose(text: str, name: str) -> str | None:
    """The function `name` where prose holds it unfenced: its `def` line and the blank or more indented
    lines under it, taken out to the left margin."""
    lines = source_lines(text)
    first = opening_line(text, name)
    if first is None:
        return None
    margin = lines[first][: len(lines[first]) - len(lines[first].lstrip(" \t"))]
    end = first + 1
    while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > len(margin)):
        end += 1
    return "\n".join(line[len(margin):] for line in lines[first:end]) + "\n"


def function_in(code: str, names: tuple[str, ...], signature: str) -> str | None:
    """The program in a block of code: as much of it as parses, its function of the first of `names` it
    defines under `signature`, then its other definitions. None when it defines none of them."""
    try:
        parsed = scan.parsed_prefix(code)
    except SyntaxError:  # too large or too deep to read: no program here
        return None
    if parsed is None:
        return None
    tree, code = parsed
    defined = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    function = next((defined[name] for name in names if name in defined), None)
    if function is None:
        return None
    lines = source_lines(code)
    others = [_text(node, lines) for node in tree.body if node is not function and _kept(node)]
    return "\n\n\n".join([f"{signature}:\n{body(function, lines)}", *others]) + "\n"


def body(function: ast.FunctionDef, lines: list[str]) -> str:
    """The function's body as written (with the comments above its first statement), or re-written
    indented when it starts on the `def` line."""
    first = function.body[0]
    if first.lineno == function.lineno:
        return textwrap.indent("\n".join(ast.unparse(s) for s in function.body), "    ")
    start = first.lineno - 1
    while start - 1 >= function.lineno and lines[start - 1].lstrip().startswith("#"):
        start -= 1
    return "\n".join(lines[start:function.end_lineno])


def _kept(node: ast.stmt) -> bool:
    """A definition that is not another version of the function (quoted earlier ones, `keep = keep_v2`)."""
    if not isinstance(node, DEFINITIONS):
        return False
    bound = [node.name] if isinstance(node, ast.FunctionDef | ast.ClassDef) else [
        target.id for target in getattr(node, "targets", [getattr(node, "target", None)])
        if isinstance(target, ast.Name)]
    return not any(name == FUNCTION or name.startswith(f"{FUNCTION}_v") for name in bound)


def _text(node: ast.stmt, lines: list[str]) -> str:
    first = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
    return "\n".join(lines[first - 1:node.end_lineno])


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))
