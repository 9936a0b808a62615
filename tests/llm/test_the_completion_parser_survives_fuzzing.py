"""Whatever a model sends, reading it never raises: `extract` gives a program that parses with its header
(ok) or a reason (not ok), in both styles; a parent shown in a prompt is a function or left out with a note;
GP's parse-back refuses with OutsideGrammar and nothing else. Arbitrary text, and near-Python built to hurt:
fences, defs, deep nesting, long runs of operators, null bytes."""

import ast

from hypothesis import given, settings
from hypothesis import strategies as st

from evolution.gp import OutsideGrammar
from evolution.gp import parse as gp_parse
from evolution.llm.parse import Extraction, extract
from evolution.llm.prompt import PromptTemplate, render, shown

HEADER = render(PromptTemplate.load(), ["def keep(seed):\n    return seed.r <= seed.r_top\n",
                                  "def keep(seed):\n    return seed.d == 0\n"])[1]

PIECES = st.sampled_from([
    "```", "```python\n", "```py \n", "\n", "    ", "\t", "def keep_v2(seed):\n", "def keep_v2(\n",
    "seed):\n",
    "def keep(seed): ", "return ", "seed.t", "seed.s_top", " <= ", " and ", "not ", "-", "+", "~", "(", ")",
    "[", "]", " if ", " else ", "if seed.t > 1:\n", "pass\n", "x = 1\n", "keep_v1(seed)", "'''", '"', "#",
    "\\\n", "\x00", "\ufeff", "\r", "lambda: ", "1", ":", ",", "Here is the rule:\n",
])
# Lengths around the limits (pysource's depth 100, the parser's 200 brackets, its stack near 6,000) and any.
LENGTHS = st.one_of(st.sampled_from([99, 100, 101, 199, 200, 201, 400, 1000, 3000, 7000]),
                    st.integers(0, 8000))
OPERATORS = st.sampled_from(["-", "not ", "(", "-(", "[", "~", "+-", "    "])
RUNS = st.builds(lambda piece, n: piece * n, OPERATORS, LENGTHS)
NEAR_PYTHON = st.lists(st.one_of(PIECES, RUNS), max_size=40).map("".join)
TEXT = st.one_of(st.text(max_size=2000), NEAR_PYTHON)


def check(extraction: Extraction) -> None:
    assert isinstance(extraction, Extraction)
    assert extraction.program.startswith("def keep(seed):")
    if extraction.ok:
        ast.parse(extraction.program)  # the program with its header is Python
    else:
        assert extraction.reason


@settings(max_examples=300)
@given(TEXT)
def test_extracting_a_completion_never_raises(text):
    check(extract(text, HEADER, style="completion"))


@settings(max_examples=300)
@given(TEXT)
def test_extracting_a_chat_answer_never_raises(text):
    check(extract(text, HEADER, style="chat"))


@given(TEXT)
def test_a_program_is_shown_in_a_prompt_or_left_out_with_a_note(text):
    function, note = shown(text)
    assert function is not None or note.startswith("left out of the prompt: ")


STATEMENTS = st.sampled_from([
    "    if seed.t > 1:\n        pass\n", "    if seed.s <= 2:\n        return seed.d == 0\n",
    "    x = seed.t\n", "    if x > 1:\n        x = x - 1\n", "    return x < 3\n", "    return True\n",
    "    return " + "-" * 300 + "seed.t < 1\n", "    return not not seed.d == 0\n", "    else:\n",
    "    for i in seed:\n", "        return min(seed.t, 2) > 0\n", "\x00", "(" * 50,
])
PYTHONISH = st.one_of(
    st.lists(STATEMENTS, max_size=40).map(lambda body: "def keep(seed):\n" + "".join(body)),
    st.text(max_size=300),
)


@given(PYTHONISH)
def test_gp_parse_back_refuses_only_with_outside_grammar(text):
    try:
        gp_parse(text)
    except OutsideGrammar as refused:
        assert refused.reason
