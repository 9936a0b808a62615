"""Attribution never loses, doubles or garbles a character of the program, however it is written (line
endings, tabs, non-ASCII text, f-strings, comments, a program that does not parse): the marked parts put
together are the source, as the page shows it."""

import pytest

from provenance.attribution import Lineage, Origin, attribute

SOURCES = [
    "def keep(seed):\r\n    return seed.r <= 1\r\n",
    "def keep(seed):\r    return seed.r <= 1\r",
    "# é 中文 🙂\ndef keep(s):\n\t'''doc 🙂'''\n\treturn s.r <= len('é🙂') and f'{s.r!r:>{3}}' != 'x'  # ü\n",
    "x = {1: 'a', 'b': 2}\ndef keep(seed):\n    return seed.r in x and seed.s <= 3\n",
    "def keep(seed): return (\n  seed.r\n  <= 1)\n",
    "\ufeffdef keep(seed):\n    return True\n",
    "def keep(seed):\n    return '\u202eevil' == \"\\x00\" or 1\n",
    "def keep(seed):\n    return (((((((((((((seed.r)))))))))))))  <=  1\n",
    "def keep(seed):\n    return seed.r <= ",
    "def keep(seed):\n" + "    x = 1\n" * 500 + "    return x\n",
]


@pytest.mark.parametrize("source", SOURCES)
def test_the_parts_put_together_are_the_source(source):
    edited = source.replace("1", "2")
    origins = {1: Origin(1, "Laporta rule", "literature", "literature", "literature"),
               2: Origin(2, "alice", "person", "human_edit", "human_edit")}

    attribution = attribute(Lineage({1: source, 2: edited}, origins, {2: [1]}, [1, 2]), 2)

    assert "".join(segment.text for segment in attribution.segments) == edited
    if attribution.parsed and "1" in source:
        assert {part.text for part in attribution.parts if part.origin.candidate == 2} <= {"2", "x = 2"}
