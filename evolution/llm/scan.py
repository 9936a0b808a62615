"""Finding code in a model's untrusted text, in bounded, linear work: the Markdown fences of an answer, found
in one pass over its lines, and the longest start of a text that parses, found by FunSearch's cutting."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from evolution.llm.prompt import source_lines
from provenance import pysource

MAX_CUTS = 64  # parses while trimming; each cut drops a line at least, so this bounds N lines × a parse
OPENERS = ("", "python", "py")  # what may follow ``` on a fence's first line (any case, spaces around)


def parsed_prefix(code: str, limit: int = pysource.MAX_CHARS) -> tuple[ast.Module, str] | None:
    """The longest start of `code` that parses, found as FunSearch trims: cut at the line of the syntax
    error until the rest parses, at most MAX_CUTS times. None when nothing is left; pysource.Unreadable
    when the text is too large or too deep to read at all."""
    for _ in range(MAX_CUTS):
        try:
            return pysource.parse(code, max_chars=limit), code
        except pysource.Unreadable as error:
            if error.kind != error.SYNTAX:
                raise  # cutting lines is for prose after the code, not for absurd nesting: refuse it
            if error.lineno is None:  # null bytes: nothing can be saved
                return None
            lines = source_lines(code)
            # Cut at the error's line, as FunSearch does, but always by one line at least: an error
            # reported past the last line (an unclosed bracket at the end) would otherwise loop forever.
            code = "\n".join(lines[: max(0, min(error.lineno - 1, len(lines) - 1))])
            if not code:
                return None
    return None


def fence(text: str) -> str | None:
    """The code in the first Markdown fence (see fences); None without one."""
    return next(fences(text), None)


def fences(text: str) -> Iterator[str]:
    """The code in each Markdown fence, in order: after a line ending in ``` (or ```python, ```py, any
    case, spaces or tabs around), up to the next ``` or the end. What the regex
    ```[ \\t]*(?:python|py)?[ \\t]*\\n(.*?)(?:```|\\Z) matched, in one pass over the lines: that regex
    backtracked over runs of spaces (200 k characters took 37 s). The opener is the last ``` of its line,
    since what may follow it holds no backtick."""
    start = 0
    while (end := text.find("\n", start)) >= 0:
        opener = text.rfind("```", start, end)
        if opener >= 0 and text[opener + 3:end].strip(" \t").lower() in OPENERS:
            close = text.find("```", end + 1)
            if close < 0:
                yield text[end + 1:]
                return
            yield text[end + 1:close]
            start = close + 3  # the rest of the closing line holds no opener: it is scanned as any line
            continue
        start = end + 1
