"""What the model sent back is kept exactly: the HTTP body as received and the completion before any
trimming, odd Unicode and markup included; the candidate's program is extracted from it, separately."""

import json

import pytest

from provenance.models import Candidate, LLMCall
from tests.llm.conftest import engine_for
from tests.llm.server import Reply

pytestmark = pytest.mark.django_db

PARENTS = ("def keep(seed):\n    return seed.r <= seed.r_top\n", "def keep(seed):\n    return seed.d == 0\n")
ODD = ("    # \u202eRTL override\u202c \u200fمرحبا\u200f שלום 🧪🔬 e\u0301 \u200b\ufeff 𝔖 \\u0000 "
       "&amp; <b>x</b>\r\n"
       "    # </script><script>alert('x')</script> <!-- --> ]]> {{ x }} {% y %}\t\n"
       "    return seed.d == 0  # done\n"
       "Explanation: <img src=x onerror=alert(1)> \u2028 ends here")


@pytest.mark.parametrize("style", ["chat", "completion"])
def test_the_body_and_the_completion_are_stored_exactly(server, step_of, style):
    content = {"message": {"role": "assistant", "content": ODD}} if style == "chat" else {"text": ODD}
    data = {"id": "cmpl-odd", "model": "gpt-4o-mini",
            "choices": [{"index": 0, "finish_reason": "stop", **content}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 5}}
    # Pretty-printed, unescaped UTF-8, a trailing newline: kept as sent, not re-serialised.
    body = (json.dumps(data, ensure_ascii=False, indent=3) + "\n").encode("utf-8")
    server.script.append(Reply(body=body))
    step = step_of(*PARENTS)
    (proposal,) = engine_for(server, step.run, style=style, samples=1).propose(step)
    call = LLMCall.objects.get(pk=proposal.llm_call.pk)  # as read back from the database
    assert call.response_body.encode("utf-8") == body
    assert call.response_text == ODD
    assert call.response_finish_reasons == ["stop"] and call.response_id == "cmpl-odd"
    # The program is cut from it as FunSearch cuts, line by line (so CRLF comes out as LF).
    kept = ODD.split("Explanation")[0].rstrip("\n").replace("\r\n", "\n")
    assert proposal.source == f"def keep(seed):\n{kept}\n"


def test_escaped_json_is_kept_escaped_in_the_body_and_decoded_in_the_text(server, step_of):
    text = "    return seed.d == 0  # caf\u00e9 \U0001f9ea\n"
    body = json.dumps({"choices": [{"message": {"content": text}, "finish_reason": "stop"}]}).encode("ascii")
    server.script.append(Reply(body=body))
    step = step_of(*PARENTS)
    engine_for(server, step.run, samples=1).propose(step)
    call = LLMCall.objects.get(run=step.run)
    assert call.response_body == body.decode("ascii") and "\\ud83e\\uddea" in call.response_body
    assert call.response_text == text


def test_characters_no_database_stores_are_replaced_and_noted(server, step_of):
    server.script.append(Reply(text="    return seed.d == 0  # \x00 \ud800\n"))
    step = step_of(*PARENTS)
    engine_for(server, step.run, samples=1).propose(step)
    call = LLMCall.objects.get(run=step.run)
    assert call.response_text == "    return seed.d == 0  # \ufffd \ufffd\n"
    assert "\\u0000" in call.response_body and "\\ud800" in call.response_body  # the originals, escaped
    assert call.params["notes"] == ["characters no database can store were replaced by U+FFFD"]
    assert Candidate.objects.filter(run=step.run, activity="human").count() == 2
