"""`evolve --engine mixed --llm-style chat` against a server that answers as chat models do (prose, reasoning,
a fenced block, a helper): every model candidate is the rule it proposed, scored complete, and its call keeps
the answer exactly as it was sent."""

import itertools
import json

import pytest
from django.core.management import call_command

from provenance.models import Candidate, Run
from provenance.verify import verify
from tests.llm.server import Reply

pytestmark = pytest.mark.django_db(transaction=True)

KIRA3 = "seed.d == 0 and seed.s <= seed.s_top - (seed.t_top - seed.t)"
STYLES = [
    "Here is an improved version:\n\n```python\ndef {name}(seed):\n    return " + KIRA3 + "\n```\n\n"
    "It drops dotted seeds.",
    "<think>\nThe user wants fewer seeds. Perhaps `return True`? No.\n</think>\n\n```python\n"
    "def {name}(seed):\n    return seed.d == 0 and seed.s <= max(1, seed.s_top - (seed.t_top - seed.t))\n```",
    "A helper makes it clearer:\n\n```python\ndef missing(seed):\n    return seed.t_top - seed.t\n\n\n"
    "def keep(seed):\n    return seed.d == 0 and seed.s <= seed.s_top - missing(seed)\n```\n"
    "Example:\n```python\nprint(keep(seed))\n```",
]


def asked_for(request: dict) -> str:
    """The name of the version the prompt leaves empty (keep_v{k}): its last `def keep_v`."""
    prompt = request["messages"][-1]["content"]
    at = prompt.rindex("def keep_v") + len("def ")
    return prompt[at:prompt.index("(", at)]


def test_every_chat_answer_becomes_a_valid_candidate(server, capsys):
    styles = itertools.cycle(STYLES)
    answers = []

    def answer(request):
        answers.append(next(styles).format(name=asked_for(request)))
        return Reply(text=answers[-1])

    server.default = answer
    call_command("evolve", "--family", "trianglebox", "--problem", "rank3", "--population", "4", "--json",
                 "--verbosity", "0", "--engine", "mixed", "--llm-ratio", "1", "--budget", "10",
                 "--samples", "1", "--model", "gpt-4o-mini", "--llm-base-url", server.base_url,
                 "--llm-style", "chat")
    run = Run.objects.get(pk=json.loads(capsys.readouterr().out)["run"])
    made = list(Candidate.objects.filter(run=run, activity="llm").select_related("llm_call").order_by("seq"))
    assert len(made) >= 3
    assert all(request["path"].endswith("/chat/completions") for request in server.requests)
    for candidate in made:
        assert candidate.params["extraction"]["ok"] is True, candidate.params["extraction"]
        assert candidate.source.startswith("def keep(seed):\n    return seed.d == 0")
        assert "```" not in candidate.source and "<think>" not in candidate.source
        assert [e.verdict for e in candidate.evaluations.all()] == ["complete"]
        assert candidate.llm_call.response_text in answers  # the raw answer, verbatim
    helped = [c for c in made if "def missing(seed)" in c.source]
    assert helped and "print" not in helped[0].source
    assert all(report.intact for report in verify(run.pk))
