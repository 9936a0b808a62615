"""A chat model's answer, in the styles real model families write, becomes the program it proposes: the
function from its fenced block or its prose, under the prompt's header, with the helpers it defines and
without its reasoning, quoted earlier versions or examples; the sandbox's static policy accepts it."""

import pytest

from evolution.llm.parse import MAX_COMPLETION, extract
from evolution.llm.prompt import PromptTemplate, render
from evolution.sandbox import policy

PARENTS = ["def keep(seed):\n    return seed.r <= seed.r_top\n", "def keep(seed):\n    return seed.d == 0\n"]
KIRA3 = "seed.d == 0 and seed.s <= seed.s_top - (seed.t_top - seed.t)"

ANSWERS = {
    "gpt: prose, a python fence with the asked version, an explanation": (
        "Here is an improved version that keeps fewer seeds:\n\n```python\ndef keep_v2(seed):\n"
        '    """Improved version of `keep_v1`."""\n'
        f"    return {KIRA3}\n```\n\n**Why this works:** dotted seeds are rarely needed.",
        f'def keep(seed):\n    """Improved version of `keep_v1`."""\n    return {KIRA3}\n',
        "fenced block 1 of 1",
    ),
    "claude: the function under its own name, with a comment": (
        "Looking at the progression from `keep_v0` to `keep_v1`, the trend is fewer dots.\n\n```python\n"
        "def keep(seed):\n    # Dotted seeds add equations without new information here.\n"
        "    if seed.d > 0:\n        return False\n    return seed.s <= seed.s_top - (seed.t_top - seed.t)\n"
        "```\n\nThis keeps the sector structure intact.",
        "def keep(seed):\n    # Dotted seeds add equations without new information here.\n"
        "    if seed.d > 0:\n        return False\n    return seed.s <= seed.s_top - (seed.t_top - seed.t)\n",
        "fenced block 1 of 1",
    ),
    "deepseek-r1: a draft inside <think>, the answer after it": (
        "<think>\nOkay, the user wants fewer seeds. Maybe:\n```python\ndef keep_v2(seed):\n    return True\n"
        "```\nNo, that keeps everything.\n</think>\n\n```python\ndef keep_v2(seed):\n"
        f"    return {KIRA3}\n```",
        f"def keep(seed):\n    return {KIRA3}\n",
        "fenced block 1 of 1",
    ),
    "qwen3 behind a server that strips the opening <think>": (
        "The rule must stay complete... so:\n```python\ndef keep_v2(seed):\n    return False\n```\n</think>\n"
        f"Final answer:\n```py\ndef keep_v2(seed): return {KIRA3}\n```\n",
        f"def keep(seed):\n    return {KIRA3}\n",
        "fenced block 1 of 1",
    ),
    "llama: no fence, the function in the prose": (
        "Here is the improved function:\n\ndef keep_v2(seed):\n    if seed.d:\n        return False\n\n"
        "    return seed.r <= seed.r_top\n\nThis function returns True only for dotless seeds.",
        "def keep(seed):\n    if seed.d:\n        return False\n\n    return seed.r <= seed.r_top\n",
        "prose",
    ),
    "mistral: an indented Markdown code block": (
        "Try this:\n\n    def keep(seed):\n        return seed.d == 0 and seed.s <= 1\n\nIt is shorter.",
        "def keep(seed):\n    return seed.d == 0 and seed.s <= 1\n",
        "prose",
    ),
    "several blocks: the old version quoted, the new one, an example": (
        "Your current best:\n```python\ndef keep_v1(seed):\n    return seed.d == 0\n```\nImproved:\n"
        "```python\ndef keep_v2(seed):\n    return seed.d == 0 and seed.s <= 1\n```\nUsage:\n"
        "```python\nprint(keep_v2(seed))\n```",
        "def keep(seed):\n    return seed.d == 0 and seed.s <= 1\n",
        "fenced block 2 of 3",
    ),
    "a block defining a helper, a constant and keep, then an example call": (
        "```python\nLIMIT = 1\n\n\ndef excess(seed):\n    return seed.s - seed.s_top\n\n\n"
        "def keep_v2(seed):\n    return seed.d == 0 and excess(seed) <= LIMIT - (seed.t_top - seed.t)\n\n\n"
        "print(keep_v2(None))\n```",
        "def keep(seed):\n    return seed.d == 0 and excess(seed) <= LIMIT - (seed.t_top - seed.t)\n\n\n"
        "LIMIT = 1\n\n\ndef excess(seed):\n    return seed.s - seed.s_top\n",
        "fenced block 1 of 1",
    ),
    "gemini: two-space indentation and a recursive call of the asked version": (
        "```python\ndef keep_v2(seed):\n  if seed.t > seed.t_top:\n    return keep_v2(seed)\n"
        "  return seed.d == 0\n```",
        "def keep(seed):\n  if seed.t > seed.t_top:\n    return keep(seed)\n  return seed.d == 0\n",
        "fenced block 1 of 1",
    ),
}


@pytest.fixture
def header():
    return render(PromptTemplate.load(), PARENTS)[1]


@pytest.mark.parametrize("case", ANSWERS)
def test_the_function_is_found_and_becomes_the_program(header, case):
    answer, program, where = ANSWERS[case]
    extraction = extract(answer, header, style="chat")
    assert (extraction.program, extraction.ok, extraction.found) == (program, True, where)
    assert extraction.as_record() == {"ok": True, "found": where}
    policy.check(extraction.program)  # the sandbox's whitelist takes it


def test_an_answer_that_continues_the_prompt_is_still_read_as_a_body(header):
    extraction = extract(f"    return {KIRA3}\n", header, style="chat")
    assert (extraction.program, extraction.ok) == (f"def keep(seed):\n    return {KIRA3}\n", True)
    assert extraction.as_record() == {"ok": True}


def test_a_found_function_that_calls_an_earlier_version_is_refused(header):
    answer = "```python\ndef keep_v2(seed):\n    return keep_v1(seed) and seed.s <= 1\n```"
    extraction = extract(answer, header, style="chat")
    assert not extraction.ok and extraction.reason == "calls an earlier version: keep_v1"


def test_an_answer_cut_off_inside_its_reasoning_proposes_nothing(header):
    answer = "<think>\nFirst idea:\n```python\ndef keep_v2(seed):\n    return True\n```\nBut then"
    extraction = extract(answer, header, style="chat")
    assert not extraction.ok and extraction.reason == "no function body could be parsed"
    assert extraction.program.endswith(answer)  # the candidate shows what the model sent


def test_a_truncated_fence_keeps_the_lines_that_parse(header):
    answer = ("```python\ndef keep_v2(seed):\n    x = seed.s\n    return x <= 2\n\n"
              "def helper(seed):\n    return (")
    extraction = extract(answer, header, style="chat")
    program = "def keep(seed):\n    x = seed.s\n    return x <= 2\n"
    assert (extraction.program, extraction.ok) == (program, True)


def test_many_blocks_that_almost_define_keep_are_not_all_parsed(header):
    bait = "```python\ndef keep_v2(seed):\n    return (\n```\n" * (MAX_COMPLETION // 40)
    extraction = extract(bait[:MAX_COMPLETION], header, style="chat")
    assert not extraction.ok
