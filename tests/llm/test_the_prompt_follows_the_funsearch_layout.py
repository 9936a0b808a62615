"""The prompt is FunSearch's: preface, parents ascending as keep_v0, keep_v1 (later ones with the
"Improved version" docstring), the empty header keep_v2 — stored exactly as sent, with which candidate
filled which slot."""

from pathlib import Path

import pytest

from evolution.llm.prompt import PromptTemplate, render
from provenance.models import Prompt
from tests.llm.conftest import engine_for

pytestmark = pytest.mark.django_db

GOLDEN = Path(__file__).parent / "golden" / "funsearch-v1-two-parents.txt"
GOLDEN_V2 = Path(__file__).parent / "golden" / "funsearch-v2-two-parents.txt"  # the default: where dots sit
LAPORTA = "def keep(seed):\n    return seed.r <= seed.r_top and seed.s <= seed.s_top\n"
KIRA = '''def keep(seed):
    """No dots, one unit of rank less per line removed."""
    # Kira 3, arXiv:2505.20197
    return seed.d == 0 and seed.s <= seed.s_top - (seed.t_top - seed.t)
'''


@pytest.mark.parametrize("version, golden", [("1", GOLDEN), ("2", GOLDEN_V2)])
def test_the_rendered_prompt_matches_the_golden_file(version, golden):
    text, header = render(PromptTemplate.load("funsearch", version), [LAPORTA, KIRA])
    assert text == golden.read_text(encoding="utf-8")
    assert (header.name, header.args) == ("keep_v2", "seed")


def test_the_second_version_differs_from_the_first_only_by_the_features_of_where_dots_sit():
    first, second = (PromptTemplate.load("funsearch", v).preface.splitlines() for v in ("1", "2"))
    added = [line for line in second if line not in first]
    assert [line for line in first if line not in second] == []
    assert all(name in "\n".join(added) for name in ("d_in", "d_out", "d_max", "s_isp", "s_pinched",
                                                      "s_max", "pinched", "r_sec"))


@pytest.mark.parametrize("style", ["chat", "completion"])
def test_the_prompt_record_is_the_text_the_server_received(server, step_of, style):
    step = step_of(LAPORTA, KIRA)
    engine_for(server, step.run, style=style, samples=1).propose(step)
    (prompt,) = Prompt.objects.filter(run=step.run)
    assert prompt.text == GOLDEN_V2.read_text(encoding="utf-8")
    assert (prompt.template_name, prompt.template_version) == ("funsearch", "2")
    assert prompt.slots == [{"slot": "v0", "candidate": step.parents[0].pk},
                            {"slot": "v1", "candidate": step.parents[1].pk}]
    (request,) = server.requests
    if style == "chat":
        assert request["path"] == "/v1/chat/completions"
        assert request["json"]["messages"] == [{"role": "user", "content": prompt.text}]
    else:
        assert request["path"] == "/v1/completions"
        assert request["json"]["prompt"] == prompt.text


def test_a_recursive_parent_calls_its_own_version_and_helpers_are_shown():
    recursive = "LIMIT = 3\n\n\ndef keep(seed):\n    return seed.t <= LIMIT or keep_small(seed)\n"
    calls_itself = "def keep(seed):\n    return seed.s < 2 and (seed.t < 1 or keep(seed))\n"
    text, _ = render(PromptTemplate.load(), [LAPORTA, calls_itself])
    assert "    return seed.s < 2 and (seed.t < 1 or keep_v1(seed))\n" in text
    text, _ = render(PromptTemplate.load(), [recursive, LAPORTA])
    assert "LIMIT = 3\n\n\ndef keep_v0(seed):\n    return seed.t <= LIMIT or keep_small(seed)\n" in text


def test_the_header_keeps_the_last_parents_parameter_and_indentation():
    two_spaces = "def keep(s):\n  return s.d == 0\n"
    text, header = render(PromptTemplate.load(), [LAPORTA, two_spaces])
    assert text.endswith('def keep_v2(s):\n  """Improved version of `keep_v1`."""\n\n')
    assert header.args == "s"
