"""From a completion to a program, as FunSearch's evaluator does (_trim_function_body, _sample_to_program,
_calls_ancestor): the completion is the body of keep_v{k}; lines are cut from the end until it parses, calls
to keep_v{k} are renamed keep, and a program that calls an ancestor keep_v{i} is refused.

Chat models usually answer with the whole function in a Markdown fence, with prose and reasoning around it,
rather than continuing the prompt: for the chat style evolution.llm.answer finds the function first; an
answer that defines none is read as a continuation, its first fence taken off and a leading
`def keep_v{k}(…):` line dropped.

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

from evolution.llm import answer
from evolution.llm.prompt import FUNCTION, Function, called, rename_calls, source_lines
from evolution.llm.scan import fence, fences, parsed_prefix
from provenance import pysource

MAX_COMPLETION = 65_536  # characters read; a rule's body is a few hundred (max_tokens bounds a real answer)
MAX_REFUSED_PROGRAM = 20_000  # of a refused completion, the candidate keeps this much (the call keeps more)
FAKE_HEADER = "def fake_function_header():\n"


@dataclass(frozen=True)
class Extraction:
    program: str  # what becomes the candidate's source
    ok: bool
    reason: str = ""  # why the program will not run, when it will not
    found: str = ""  # where a chat answer held the function ("fenced block 1 of 2", "prose"), if it did

    def as_record(self) -> dict:
        record = {"ok": self.ok, "reason": self.reason} if not self.ok else {"ok": True}
        return {**record, "found": self.found} if self.found else record


def extract(completion: str, header: Function, style: str = "completion") -> Extraction:
    """The candidate program for a completion of `header`. When no body can be saved, the program is the
    header followed by the completion as the model wrote it, and the reason says why: the evaluation
    fails with it, and the lineage still shows what the model made of its parents."""
    signature = f"def {FUNCTION}({header.args})" + (f" -> {header.return_type}" if header.return_type else "")
    if len(completion) > MAX_COMPLETION:
        return refused(signature, completion,
                       f"the completion is {len(completion)} characters; at most {MAX_COMPLETION} are read")
    text = completion
    if style == "chat":
        text = answer.without_reasoning(completion)
        blocks = list(fences(text))
        found = answer.program_in(text, blocks, header.name, signature)
        if found is not None:
            return checked(found.program, header, completion, signature, found.where)
        text = after_def(blocks[0] if blocks else text, header.name)
    try:
        body = trim_function_body(text)
    except pysource.Unreadable as unreadable:
        return refused(signature, completion, f"the completion cannot be read as a program: {unreadable}")
    if not body.strip():
        return refused(signature, completion, "no function body could be parsed")
    return checked(f"{signature}:\n{body.rstrip()}\n", header, completion, signature)


def checked(program: str, header: Function, completion: str, signature: str, found: str = "") -> Extraction:
    """The program with its calls of keep_v{k} renamed keep, refused when it calls an earlier version."""
    try:
        program = rename_calls(program, header.name, FUNCTION)
        ancestors = sorted({t.string for t in called(program) if t.string.startswith(f"{FUNCTION}_v")})
    except (tokenize.TokenError, SyntaxError) as error:  # it parsed, so this is not expected; never fatal
        return refused(signature, completion, f"the program cannot be tokenized: {error}")
    if ancestors:
        return Extraction(program, False, f"calls an earlier version: {', '.join(ancestors)}", found)
    return Extraction(program, True, found=found)


def refused(signature: str, completion: str, reason: str) -> Extraction:
    """The header and the completion as written (its start, for a long one), refused with `reason`."""
    return Extraction(f"{signature}:\n{completion[:MAX_REFUSED_PROGRAM]}", False, reason)


def trim_function_body(generated: str) -> str:
    """FunSearch's _trim_function_body: the completion under a fake header, cut at the first line that does
    not parse until what is left parses, then only the fake function's own lines. "" when nothing parses
    within MAX_CUTS cuts; pysource.Unreadable when the text is too large or too deep to read at all."""
    if not generated:
        return ""
    # extract's cap, plus the fake header and the newline unwrap may add
    parsed = parsed_prefix(f"{FAKE_HEADER}{generated}", MAX_COMPLETION + len(FAKE_HEADER) + 1)
    if parsed is None:
        return ""
    tree, code = parsed
    function = tree.body[0]  # the fake function; whatever follows it at the top level is not its body
    return "\n".join(source_lines(code)[1: function.end_lineno]) + "\n\n"


def unwrap(completion: str, name: str) -> str:
    """A chat answer as a continuation: the fenced code if there is some, after the `def name(…):` line."""
    fenced = fence(completion)
    return after_def(fenced if fenced is not None else completion, name)


def after_def(text: str, name: str) -> str:
    """The text after its `def name(…):` line (the whole text without one)."""
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
