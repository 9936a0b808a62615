"""From a completion to a program, as FunSearch's evaluator does (_trim_function_body, _sample_to_program,
_calls_ancestor): the completion is the body of keep_v{k}; lines are cut from the end until it parses, calls
to keep_v{k} are renamed keep, and a program that calls an ancestor keep_v{i} is refused.

Chat models usually answer with the whole function in a Markdown fence rather than continuing the prompt:
for the chat style the fence is taken off and a leading `def keep_v{k}(…):` line dropped first.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from evolution.llm.prompt import FUNCTION, Function, called, rename_calls, source_lines

FENCE = re.compile(r"```[ \t]*(?:python|py)?[ \t]*\n(.*?)(?:```|\Z)", re.DOTALL | re.IGNORECASE)


@dataclass(frozen=True)
class Extraction:
    program: str  # what becomes the candidate's source
    ok: bool
    reason: str = ""  # why the program will not run, when it will not

    def as_record(self) -> dict:
        return {"ok": self.ok, "reason": self.reason} if not self.ok else {"ok": True}


def extract(completion: str, header: Function, style: str = "completion") -> Extraction:
    """The candidate program for a completion of `header`. When no body can be saved, the program is the
    header followed by the completion as the model wrote it: the sandbox refuses it with the reason, and the
    lineage still shows what the model made of its parents."""
    text = unwrap(completion, header.name) if style == "chat" else completion
    body = trim_function_body(text)
    signature = f"def {FUNCTION}({header.args})" + (f" -> {header.return_type}" if header.return_type else "")
    if not body.strip():
        return Extraction(f"{signature}:\n{completion}", False, "no function body could be parsed")
    program = rename_calls(f"{signature}:\n{body.rstrip()}\n", header.name, FUNCTION)
    ancestors = sorted({t.string for t in called(program) if t.string.startswith(f"{FUNCTION}_v")})
    if ancestors:
        return Extraction(program, False, f"calls an earlier version: {', '.join(ancestors)}")
    return Extraction(program, True)


def trim_function_body(generated: str) -> str:
    """FunSearch's _trim_function_body: the completion under a fake header, cut at the first line that does
    not parse until what is left parses, then only the fake function's own lines."""
    if not generated:
        return ""
    code = f"def fake_function_header():\n{generated}"
    tree = None
    while tree is None:
        try:
            tree = ast.parse(code)
        except SyntaxError as error:
            lines = source_lines(code)
            # Cut at the error's line, as FunSearch does, but always by one line at least: an error
            # reported past the last line (an unclosed bracket at the end) would otherwise loop forever.
            code = "\n".join(lines[: max(0, min((error.lineno or len(lines)) - 1, len(lines) - 1))])
        except ValueError:  # null bytes: nothing can be saved
            return ""
    if not code:
        return ""
    function = tree.body[0]  # the fake function; whatever follows it at the top level is not its body
    return "\n".join(source_lines(code)[1: function.end_lineno]) + "\n\n"


def unwrap(completion: str, name: str) -> str:
    """A chat answer as a continuation: the fenced code if there is some, after the `def name(…):` line."""
    fenced = FENCE.search(completion)
    text = fenced.group(1) if fenced else completion
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

