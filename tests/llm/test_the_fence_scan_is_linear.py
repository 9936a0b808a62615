"""A chat answer's code fence is found by one pass over the text: the regex it replaces backtracked over
runs of spaces after ``` (200,000 characters took 37 s). Work is counted as the characters the scan looks
at; it still finds what the regex found; a 10 s alarm keeps a regression from hanging the suite."""

import re
import signal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evolution.llm.parse import MAX_COMPLETION, extract, unwrap
from evolution.llm.prompt import PromptTemplate, render

# What the scan replaced, kept here as the statement of what it must find.
REGEX = re.compile(r"```[ \t]*(?:python|py)?[ \t]*\n(.*?)(?:```|\Z)", re.DOTALL | re.IGNORECASE)

BAIT = {
    "spaces after a fence": "```" + " " * 200_000,
    "tabs after a fence, then python": "```" + "\t" * 100_000 + "python" + " " * 100_000,
    "fences and spaces, no newline": ("```" + " " * 5) * 25_000,
    "many lines that almost open a fence": "```pyth\n" * 25_000,
}


class Counted(str):
    """Text that counts the characters its find and rfind calls look at."""

    looked = 0

    def find(self, sub, start=0, end=None):
        end = len(self) if end is None else end
        found = str.find(self, sub, start, end)
        Counted.looked += (found + len(sub) if found >= 0 else end) - start
        return found

    def rfind(self, sub, start=0, end=None):
        end = len(self) if end is None else end
        Counted.looked += end - start
        return str.rfind(self, sub, start, end)


@pytest.fixture(autouse=True)
def alarm():
    def hung(*_):
        raise TimeoutError("the fence scan took more than 10 s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


@pytest.mark.parametrize("text", BAIT.values(), ids=BAIT.keys())
def test_bait_is_scanned_once(text):
    Counted.looked = 0
    assert unwrap(Counted(text), "keep_v1") is not None
    assert 0 < Counted.looked <= 3 * len(text)


def test_a_chat_answer_just_under_the_cap_is_scanned_once_and_read():
    header = render(PromptTemplate.load(), ["def keep(seed):\n    return seed.d == 0\n"])[1]
    Counted.looked = 0
    answer = Counted("```" + " " * (MAX_COMPLETION - 3))
    extraction = extract(answer, header, style="chat")
    assert not extraction.ok and extraction.reason == "no function body could be parsed"
    assert 0 < Counted.looked <= 3 * MAX_COMPLETION


FENCE_PIECES = st.sampled_from(["```", "```python", "```PY", "``` py \t", "````", "``", "`", "\n", " ",
                                "\t", "python", "py", "x", "def keep_v1(seed):", "    return 1"])


@given(st.lists(FENCE_PIECES, max_size=30).map("".join))
def test_the_scan_finds_what_the_regex_found(text):
    found = REGEX.search(text)
    expected = found.group(1) if found else text
    assert unwrap(text, "no_such_function").rstrip("\n") == expected.rstrip("\n")
