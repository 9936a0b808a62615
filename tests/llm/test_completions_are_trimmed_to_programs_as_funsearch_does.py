"""A completion becomes a program as FunSearch's evaluator makes it: cut from the end until it parses,
keep_v{k} renamed keep, a call to an ancestor refused; what cannot be saved is still a program to refuse."""

import pytest

from evolution.llm.parse import extract, trim_function_body
from evolution.llm.prompt import PromptTemplate, render

PARENTS = ["def keep(seed):\n    return seed.r <= seed.r_top\n", "def keep(seed):\n    return seed.d == 0\n"]


@pytest.fixture
def header():
    return render(PromptTemplate.load(), PARENTS)[1]


@pytest.mark.parametrize("completion, program", [
    ("    return seed.t < 4\n", "def keep(seed):\n    return seed.t < 4\n"),
    # The model goes on to write the next version: only the function's own lines are kept.
    ("    return seed.t < 4\n\n\ndef keep_v3(seed):\n    return True\n",
     "def keep(seed):\n    return seed.t < 4\n"),
    # Prose after the code does not parse: lines are cut from the end until the rest does.
    ("    x = seed.s\n    return x <= 2\nThis rule keeps fewer seeds (\n",
     "def keep(seed):\n    x = seed.s\n    return x <= 2\n"),
    ("    if seed.t > 5:\n        return keep_v2(seed)\n    return seed.d == 0\n",
     "def keep(seed):\n    if seed.t > 5:\n        return keep(seed)\n    return seed.d == 0\n"),
])
def test_a_completion_is_trimmed_until_it_parses_and_renamed(header, completion, program):
    extraction = extract(completion, header)
    assert (extraction.program, extraction.ok) == (program, True)


def test_a_program_calling_an_ancestor_is_refused(header):
    extraction = extract("    return keep_v1(seed) and seed.s < 2\n", header)
    assert not extraction.ok and extraction.reason == "calls an earlier version: keep_v1"
    assert extraction.program == "def keep(seed):\n    return keep_v1(seed) and seed.s < 2\n"


def test_what_cannot_be_parsed_is_kept_as_written_after_the_header(header):
    extraction = extract("I would keep seeds without dots.", header)
    assert not extraction.ok and extraction.reason == "no function body could be parsed"
    assert extraction.program == "def keep(seed):\nI would keep seeds without dots."


def test_a_chat_answer_loses_its_fence_and_repeated_header(header):
    answer = ("Here is an improved rule:\n\n```python\ndef keep_v2(seed):\n    \"\"\"Fewer seeds.\"\"\"\n"
              "    return seed.d == 0 and seed.s <= 1\n```\n\nIt keeps fewer seeds.")
    extraction = extract(answer, header, style="chat")
    assert extraction.ok
    assert extraction.program == (
        'def keep(seed):\n    """Fewer seeds."""\n    return seed.d == 0 and seed.s <= 1\n')


@pytest.mark.parametrize("completion", ["", "   x = (\n", "def fake(:\n", "    return 1\x00"])
def test_trimming_ends_on_anything(completion):
    assert trim_function_body(completion) == ""
