"""`policy.check` on anything at all returns a parsed module or raises Refused: never another exception, so
a hostile or broken candidate is always a refusal with a reason, never a crash of the evaluating worker.
Inputs: arbitrary text (lone surrogates and null bytes included), and near-Python: rule-shaped programs
stitched from tokens, deep nesting, long operator runs, huge literals."""

import ast

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evolution.sandbox import policy
from evolution.sandbox.policy import Refused

ANY_CHARACTER = st.characters(codec=None, exclude_categories=())  # surrogates and controls too
TOKENS = (
    "def", "keep", "seed", "(", ")", ":", "\n", "    ", "\t", "return", ".", "t", "s_top", "indices", "+",
    "-", "*", "**", "//", "not", "and", "or", "<", "<=", "==", "if", "else", "for", "in", "while", "lambda",
    "[", "]", "{", "}", ",", "=", ":=", "max", "min", "abs", "sum", "x", "1", "0", "-1", "1e999", "0x1F",
    "0b", "True", "None", "'", '"""', "\\", "#", "@", "yield", "await", "async", "__class__", "_x", "import",
    "os", "class", "global", "\x00", "\ud800", "\udcff", "\ufeff", "\r", "\x0c", "é", "𝔰𝔢𝔢𝔡", "9" * 4299,
    "9" * 4301,
)
RUNS = ("(", "[", "-", "not ", "+1", "~", "seed.t.", "lambda: ", "    if 1:\n", "f'{", "1 if 1 else ", "**2")


def near_python() -> st.SearchStrategy[str]:
    tokens = st.lists(st.sampled_from(TOKENS), max_size=40).map(" ".join)
    runs = st.builds(lambda run, n: run * n, st.sampled_from(RUNS), st.integers(1, 6000))
    body = st.one_of(tokens, runs, st.text(ANY_CHARACTER, max_size=60))
    rule = st.builds(
        lambda head, middle, tail: f"def keep(seed):\n    return {head}{middle}{tail}\n", body, body, body
    )
    return st.one_of(rule, st.builds("".join, st.lists(st.one_of(tokens, runs), max_size=4)))


def refused_or_parsed(source) -> None:
    try:
        tree = policy.check(source)
    except Refused as refusal:
        assert isinstance(str(refusal), str)
        assert refusal.line is None or isinstance(refusal.line, int)
    else:
        assert isinstance(tree, ast.Module)


@pytest.mark.filterwarnings("ignore::SyntaxWarning")
@settings(max_examples=1000)
@given(st.text(ANY_CHARACTER, max_size=400))
def test_arbitrary_text_is_refused_or_parsed(source):
    refused_or_parsed(source)


@pytest.mark.filterwarnings("ignore::SyntaxWarning")  # "invalid decimal literal" and the like, from ast
@settings(max_examples=1500)
@given(near_python())
def test_near_python_is_refused_or_parsed(source):
    refused_or_parsed(source)


def test_known_extremes_are_refused_with_a_reason():
    extremes = [
        "def keep(seed):\n    return " + "(" * 5000 + "1" + ")" * 5000 + "\n",
        "def keep(seed):\n    return " + "not " * 4000 + "True\n",
        "def keep(seed):\n    return " + "-" * 15000 + "1\n",
        "def keep(seed):\n    return 1" + "+1" * 9000 + "\n",
        "def keep(seed):\n    return " + "9" * 5000 + "\n",
        "def keep(seed):\n    return 1\x00\n",
        "def keep(seed):\n    return '\ud800'\n",
        "def keep(seed):\n    return seed" + ".t" * 5000 + "\n",
        "def keep(seed):\n" + "".join(" " * i + "if 1:\n" for i in range(1, 150)) + " " * 150 + "return 1\n",
        b"def keep(seed):\n    return True\n",
        None,
    ]
    for source in extremes:
        try:
            policy.check(source)
        except Refused:
            continue
        raise AssertionError(f"accepted: {source!r:.80}")
