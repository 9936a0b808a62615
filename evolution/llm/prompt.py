"""Prompts as FunSearch builds them (implementation/programs_database.py, Island._generate_prompt).

The template's preface, then the sampled programs sorted ascending by score, renamed keep_v0, keep_v1, …,
each later one with the docstring "Improved version of `keep_v{i-1}`.", then the empty header keep_v{k}
(with that docstring too) for the model to complete. Functions are laid out as FunSearch's
code_manipulation.Function prints them: two blank lines between them, the docstring right under the `def`.

Where this differs from FunSearch, and why: the docstring is indented like the function's body (FunSearch
assumes two spaces, which is a syntax error next to a four-space body), and a program's other top-level
statements (helpers a person wrote) are shown before its function rather than dropped, as the model may
see them called.

Programs are untrusted text: `split` reads them through provenance.pysource (a tree too deep for
ast.unparse is refused, not a RecursionError), and `shown` falls back to a program's lines as written when its
tree cannot be read (a rule of 400 nested minus signs runs in the sandbox but is beyond that limit), or
leaves it out with a note: no parent ends a run's prompting.
"""

from __future__ import annotations

import ast
import io
import re
import textwrap
import tokenize
from dataclasses import dataclass, replace
from pathlib import Path

from provenance import pysource

TEMPLATES = Path(__file__).parent / "templates"
FUNCTION = "keep"
LINE_END = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class PromptTemplate:
    name: str
    version: str
    preface: str

    @classmethod
    def load(cls, name: str = "funsearch", version: str = "2") -> PromptTemplate:
        """A template by name and version (templates/NAME-vVERSION.txt). Version 2 lists the features of
        where a seed's dots and numerators sit (solver.seed_features); version 1, which did not, stays for
        the runs that used it."""
        text = (TEMPLATES / f"{name}-v{version}.txt").read_text(encoding="utf-8")
        return cls(name, version, text.rstrip("\n"))


@dataclass(frozen=True)
class Function:
    """One function as FunSearch's code_manipulation.Function holds it (decorators are not kept)."""

    name: str
    args: str
    body: str  # indented, without leading or trailing blank lines
    return_type: str | None = None
    docstring: str | None = None
    indent: str = "    "  # the body's indentation, which the docstring takes too
    before: str = ""  # the program's other top-level statements, shown ahead of the function

    def __str__(self) -> str:
        returns = f" -> {self.return_type}" if self.return_type else ""
        text = f"def {self.name}({self.args}){returns}:\n"
        if self.docstring:
            text += f'{self.indent}"""{self.docstring}"""' + ("\n" if self.body else "")
        return text + self.body + "\n\n"


def split(source: str, name: str = FUNCTION) -> Function:
    """The program's function `name`, in FunSearch's pieces; pysource.Unreadable (a SyntaxError) for a
    program that is not Python or beyond its limits, ValueError for one without the function."""
    tree = pysource.parse(source)
    lines = source_lines(source)
    node = next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name), None)
    if node is None:
        raise ValueError(f"the program defines no function {name}()")
    docstring = ast.get_docstring(node, clean=False)
    statements = node.body[1:] if docstring is not None else node.body
    if not statements:
        body = ""
    elif statements[0].lineno == node.lineno:  # `def keep(seed): return …` on one line
        body = textwrap.indent("\n".join(ast.unparse(s) for s in statements), "    ")
    else:
        body = "\n".join(lines[statements[0].lineno - 1: node.end_lineno]).strip("\n")
    first_line = body.split("\n", 1)[0]
    indent = first_line[: len(first_line) - len(first_line.lstrip())] or "    "
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    others = lines[: first - 1] + lines[node.end_lineno:]
    return Function(name, ast.unparse(node.args), body, ast.unparse(node.returns) if node.returns else None,
                    docstring, indent, "\n".join(others).strip("\n"))


def shown(source: str, name: str = FUNCTION) -> tuple[Function | None, str]:
    """The program as a prompt shows it, and a note ("" for none) when not as `split` reads it: as written
    when its tree cannot be read, or None (left out) when not even its `def` line can be found."""
    try:
        return split(source, name), ""
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        reason = str(error) or type(error).__name__
    function = as_written(source, name)
    if function is None:
        return None, f"left out of the prompt: {reason}"
    return function, f"shown as written: {reason}"


def as_written(source: str, name: str = FUNCTION) -> Function | None:
    """The function `name` found by its lines, not its tree: a one-line `def name(args) -> returns:`, then
    the indented lines under it (or the rest of that line). None when there is no such line, or when its
    signature does not parse on its own (the header the model completes is built from it)."""
    lines = source_lines(source)
    for i, line in enumerate(lines):
        opened = re.match(rf"def[ \t]+{re.escape(name)}[ \t]*\(", line)
        if not opened:
            continue
        close = line.find(")", opened.end())
        colon = line.find(":", close + 1) if close >= 0 else -1
        returns = line[close + 1:colon].strip() if colon >= 0 else ""
        if colon < 0 or (returns and not returns.startswith("->")):
            return None
        args, returns = line[opened.end():close].strip(), returns[2:].strip() or None
        try:
            pysource.parse(f"def {name}({args})" + (f" -> {returns}" if returns else "") + ":\n    pass\n")
        except SyntaxError:
            return None
        end = i + 1
        while end < len(lines) and (not lines[end].strip() or lines[end][:1] in (" ", "\t")):
            end += 1
        inline = line[colon + 1:].strip()
        body = "\n".join(([f"    {inline}"] if inline else []) + lines[i + 1:end]).strip("\n")
        first_line = body.split("\n", 1)[0]
        indent = first_line[: len(first_line) - len(first_line.lstrip())] or "    "
        before = "\n".join(lines[:i] + lines[end:]).strip("\n")
        return Function(name, args, body, returns, None, indent, before)
    return None


def render(template: PromptTemplate, sources: list[str]) -> tuple[str, Function]:
    """The prompt for programs sorted ascending by score, and the header the model is to complete.
    Programs that cannot be shown at all are left out; ValueError when that leaves none."""
    return layout(template, [f for f, _ in map(shown, sources) if f is not None])


def layout(template: PromptTemplate, functions: list[Function]) -> tuple[str, Function]:
    """The prompt showing `functions` (sorted ascending by score), and the header the model is to complete."""
    if not functions:
        raise ValueError("no program to show in the prompt")
    shown_functions = []
    for i, function in enumerate(functions):
        version = replace(function, name=f"{FUNCTION}_v{i}")
        if i >= 1:
            version = replace(version, docstring=f"Improved version of `{FUNCTION}_v{i - 1}`.")
        text = rename_calls(str(version), FUNCTION, version.name)  # a recursive rule calls its own version
        shown_functions.append(f"{function.before}\n\n\n{text}" if function.before else text)
    k = len(functions)
    header = replace(functions[-1], name=f"{FUNCTION}_v{k}", body="", before="",
                     docstring=f"Improved version of `{FUNCTION}_v{k - 1}`.")
    # FunSearch's Program: the preface (here followed by two blank lines, as in a module), then the functions.
    return f"{template.preface}\n\n\n" + "\n".join([*shown_functions, str(header)]), header


def source_lines(code: str) -> list[str]:
    """Lines as Python counts them (ast's line numbers): str.splitlines also splits at \u2028, \x0c, …"""
    return LINE_END.split(code[:-1] if code.endswith("\n") else code) if code else []


def rename_calls(code: str, old: str, new: str) -> str:
    """Calls `old(…)` renamed `new(…)` (not attributes, not mere mentions), the rest of the text untouched."""
    if old not in code:
        return code
    spots = [token.start for token in called(code) if token.string == old]
    lines = code.split("\n")  # the rows tokenize counts (it reads lines from a StringIO)
    for row, col in reversed(spots):
        line = lines[row - 1]
        lines[row - 1] = line[:col] + new + line[col + len(old):]
    return "\n".join(lines)


def called(code: str) -> list[tokenize.TokenInfo]:
    """Name tokens followed by `(` and not preceded by `.`: the functions the code calls (as FunSearch).
    Text that does not tokenize to its end (a program shown as written) gives the calls up to there."""
    tokens = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            if token.type not in (tokenize.NL, tokenize.COMMENT):
                tokens.append(token)
    except (tokenize.TokenError, SyntaxError):
        pass
    return [token for before, token, after in zip([None, *tokens], tokens, [*tokens[1:], None], strict=False)
            if token.type == tokenize.NAME and after is not None and after.string == "("
            and not (before is not None and before.string == ".")]
