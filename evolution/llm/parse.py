"""From a completion to a program, as FunSearch's evaluator does (_trim_function_body, _sample_to_program,
_calls_ancestor): the completion is the body of keep_v{k}; lines are cut from the end until it parses, calls
to keep_v{k} are renamed keep, and a program that calls an ancestor keep_v{i} is refused.

Chat models usually answer with the whole function in a Markdown fence rather than continuing the prompt:
for the chat style the fence is taken off and a leading `def keep_v{k}(…):` line dropped first.

A completion is untrusted text, so every step is linear and bounded: a completion longer than
MAX_COMPLETION is refused unread (the LLM call keeps it), the fence is found by a scan rather than a
backtracking regex, trimming parses at most MAX_CUTS times, and every parse goes through
provenance.pysource, whose size and depth limits turn `return ------…x` into a refusal with its reason
rather than a MemoryError. A refusal is an Extraction with ok=False: the candidate is still recorded, and its
evaluation fails with the reason.
"""

from __future__ import annotations

import re
import tokenize
from dataclasses import dataclass

from evolution.llm.prompt import FUNCTION, Function, called, rename_calls, source_lines
from provenance import pysource

MAX_COMPLETION = 65_536  # characters read; a rule's body is a few hundred (max_tokens bounds a real answer)
MAX_CUTS = 64  # parses while trimming; each cut drops a line at least, so this bounds N lines × a parse
MAX_REFUSED_PROGRAM = 20_000  # of a refused completion, the candidate keeps this much (the call keeps more)
FAKE_HEADER = "def fake_function_header():\n"
OPENERS = ("", "python", "py")  # what may follow ``` on a fence's first line (any case, spaces around)


@dataclass(frozen=True)
class Extraction:
    program: str  # what becomes the candidate's source
    ok: bool
    reason: str = ""  # why the program will not run, when it will not

    def as_record(self) -> dict:
        return {"ok": self.ok, "reason": self.reason} if not self.ok else {"ok": True}


def extract(completion: str, header: Function, style: str = "completion") -> Extraction:
    """The candidate program for a completion of `header`. When no body can be saved, the program is the
    header followed by the completion as the model wrote it, and the reason says why: the evaluation
    fails with it, and the lineage still shows what the model made of its parents."""
    signature = f"def {FUNCTION}({header.args})" + (f" -> {header.return_type}" if header.return_type else "")
    if len(completion) > MAX_COMPLETION:
        return refused(signature, completion,
                       f"the completion is {len(completion)} characters; at most {MAX_COMPLETION} are read")
    text = unwrap(completion, header.name) if style == "chat" else completion
    try:
        body = trim_function_body(text)
    except pysource.Unreadable as unreadable:
        return refused(signature, completion, f"the completion cannot be read as a program: {unreadable}")
    if not body.strip():
        return refused(signature, completion, "no function body could be parsed")
    try:
        program = rename_calls(f"{signature}:\n{body.rstrip()}\n", header.name, FUNCTION)
        ancestors = sorted({t.string for t in called(program) if t.string.startswith(f"{FUNCTION}_v")})
    except (tokenize.TokenError, SyntaxError) as error:  # it parsed, so this is not expected; never fatal
        return refused(signature, completion, f"the program cannot be tokenized: {error}")
    if ancestors:
        return Extraction(program, False, f"calls an earlier version: {', '.join(ancestors)}")
    return Extraction(program, True)


def refused(signature: str, completion: str, reason: str) -> Extraction:
    """The header and the completion as written (its start, for a long one), refused with `reason`."""
    return Extraction(f"{signature}:\n{completion[:MAX_REFUSED_PROGRAM]}", False, reason)


def trim_function_body(generated: str) -> str:
    """FunSearch's _trim_function_body: the completion under a fake header, cut at the first line that does
    not parse until what is left parses, then only the fake function's own lines. "" when nothing parses
    within MAX_CUTS cuts; pysource.Unreadable when the text is too large or too deep to read at all."""
    if not generated:
        return ""
    code = f"{FAKE_HEADER}{generated}"
    # extract's cap, plus the fake header and the newline unwrap may add
    limit = MAX_COMPLETION + len(FAKE_HEADER) + 1
    for _ in range(MAX_CUTS):
        try:
            tree = pysource.parse(code, max_chars=limit)
        except pysource.Unreadable as error:
            if error.kind != error.SYNTAX:
                raise  # cutting lines is for prose after the code, not for absurd nesting: refuse it
            if error.lineno is None:  # null bytes: nothing can be saved
                return ""
            lines = source_lines(code)
            # Cut at the error's line, as FunSearch does, but always by one line at least: an error
            # reported past the last line (an unclosed bracket at the end) would otherwise loop forever.
            code = "\n".join(lines[: max(0, min(error.lineno - 1, len(lines) - 1))])
            if not code:
                return ""
            continue
        function = tree.body[0]  # the fake function; whatever follows it at the top level is not its body
        return "\n".join(source_lines(code)[1: function.end_lineno]) + "\n\n"
    return ""


def unwrap(completion: str, name: str) -> str:
    """A chat answer as a continuation: the fenced code if there is some, after the `def name(…):` line."""
    fenced = fence(completion)
    text = fenced if fenced is not None else completion
    lines = source_lines(text)
    for i, line in enumerate(lines):
        if re.match(rf"\s*def\s+{re.escape(name)}\s*\(", line):
            rest = lines[i + 1:]
            # A signature over several lines: skip to the line that ends it.
            if not line.rstrip().endswith(":"):
                ends = next((j for j, more in enumerate(rest) if more.rstrip().endswith(":")), None)
                rest = rest[ends + 1:] if ends is not None else rest
            return "\n".join(rest) + "\n"
    return text


def fence(text: str) -> str | None:
    """The code in the first Markdown fence: after a line ending in ``` (or ```python, ```py, any case,
    spaces or tabs around), up to the next ``` or the end; None without one. What the regex
    ```[ \\t]*(?:python|py)?[ \\t]*\\n(.*?)(?:```|\\Z) matched, in one pass over the lines: that regex
    backtracked over runs of spaces (200 k characters took 37 s). The opener is the last ``` of its line,
    since what may follow it holds no backtick."""
    start = 0
    while (end := text.find("\n", start)) >= 0:
        opener = text.rfind("```", start, end)
        if opener >= 0 and text[opener + 3:end].strip(" \t").lower() in OPENERS:
            close = text.find("```", end + 1)
            return text[end + 1:] if close < 0 else text[end + 1:close]
        start = end + 1
    return None
