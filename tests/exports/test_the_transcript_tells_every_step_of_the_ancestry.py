"""The Markdown transcript: every ancestor, prompt, output, diff, score and note, the chain head; inert."""

import pytest

from provenance.exports import export
from provenance.exports.transcript import fence
from provenance.models import ChainHead
from tests.exports.inert import assert_markdown_inert, markdown_html

pytestmark = pytest.mark.django_db


@pytest.fixture
def transcript(story) -> str:
    return export("md", candidate=story.final.pk).content.decode()


def test_it_holds_every_ancestor_and_the_final_program(story, transcript):
    for candidate in (story.founder, story.mutant, story.llm, story.final):
        assert "### Step" in transcript and f"candidate {candidate.pk} (" in transcript
        assert candidate.hash in transcript
    assert story.final.source in transcript
    assert "STRANGER" not in transcript


def test_the_steps_are_in_the_order_they_were_recorded(story, transcript):
    steps = transcript.index("## Steps")
    positions = [
        transcript.index(c.hash, steps) for c in (story.founder, story.mutant, story.llm, story.final)
    ]
    assert positions == sorted(positions)


def test_it_holds_the_prompt_the_raw_output_the_diffs_and_the_scores(story, transcript):
    html = markdown_html(transcript)
    assert "PROMPT-TEXT-1 improve keep_v1" in html and "MODEL-OUTPUT-1" in html
    assert (
        "-    return seed.r &lt;= seed.r_top and seed.d == 0" in html
    )  # the final program's diff to its parent
    assert "| rank3 | complete | \\-90\\.0 | 90 |" in transcript
    assert "NOTE-BODY v2" in html and "the call looked fine" in html
    assert "OpenAI gpt\\-4o\\-mini version 2024\\-07\\-18" in transcript


def test_it_names_the_chain_head_and_how_to_verify_it(story, transcript):
    head = ChainHead.objects.get(name=f"run:{story.run.pk}")
    assert f"`run:{story.run.pk}` at seq {head.seq}: `{head.hash}`" in transcript
    assert f"manage.py verify --run {story.run.pk}" in transcript


def test_hostile_strings_come_out_inert(transcript):
    assert_markdown_inert(transcript)


@pytest.mark.parametrize("text", ["```", "a ```` b", "````\n```\n", "`", "~~~\n"])
def test_a_fence_cannot_be_closed_by_its_content(text):
    html = markdown_html(fence(text, "text") + "<script>after</script>\n")
    assert html.count("<pre>") == 1 and "<script>after" in html  # the block ended where the fence said
    assert text.strip("\n") in html.replace("&lt;", "<")


def test_a_whole_run_transcript_includes_the_others(story):
    text = export("md", run=story.run.pk).content.decode()
    assert "STRANGER" in text and "# Seedtrace transcript: run" in text
