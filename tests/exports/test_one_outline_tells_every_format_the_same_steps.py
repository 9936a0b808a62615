"""The transcript and the LaTeX supplement render one outline: the same steps, parts and order in both."""

import pytest
from prov.model import ProvActivity, ProvEntity

from provenance import ledger
from provenance.exports import candidate_scope, outline, run_scope
from provenance.exports.latex import Latex, supplement
from provenance.exports.provjson import document
from provenance.exports.tex import escape
from provenance.exports.transcript import Markdown, md, transcript

pytestmark = pytest.mark.django_db


def kinds(step: outline.ExportStep) -> list[str]:
    return [part.kind for part in step.parts]


def test_each_step_holds_its_parts_in_order(story):
    steps = outline.build(candidate_scope(story.final)).steps
    assert [step.candidate for step in steps] == [story.founder, story.mutant, story.llm, story.final]
    assert [kinds(step) for step in steps] == [
        ["summary", "program", "scores"],
        ["summary", "program", "diff", "scores"],
        ["summary", "prompt", "call", "note", "program", "diff", "diff", "scores"],
        ["summary", "program", "diff", "scores", "note", "note"],
    ]
    assert [step.number for step in steps] == [1, 2, 3, 4]


def test_a_call_that_produced_no_program_is_a_step_of_its_own(story):
    prompt = ledger.record_prompt(story.run, template_name="t", template_version="1", text="LONE-PROMPT")
    call = ledger.record_llm_call(
        story.run, agent=story.step.llm_call.agent, prompt=prompt, response_text="", error_type="timeout"
    )
    (lone,) = [step for step in outline.build(run_scope(story.run)).steps if step.candidate is None]
    assert lone.call == call and kinds(lone) == ["prompt", "call"]
    title = f"LLM call {call.pk}, which produced no program"
    assert transcript(run_scope(story.run)).count(title) == 1
    # The LaTeX of a whole run tells only its best candidate's ancestry; the lone call is counted there.
    assert title not in supplement(run_scope(story.run))
    assert "1 LLM call(s) produced no program" in supplement(run_scope(story.run))
    assert title not in transcript(candidate_scope(story.final))  # only the calls that wrote an ancestor


def test_every_renderer_formats_every_kind_of_part():
    for kind in {part.kind for part in outline.Part.__subclasses__()}:
        assert callable(getattr(Markdown, kind)) and callable(getattr(Latex, kind))


def test_both_formats_tell_the_steps_in_the_outlines_order(story):
    scope = candidate_scope(story.final)
    markdown, latex = transcript(scope), supplement(scope)
    steps = outline.build(scope).steps
    for text, value in ((markdown, md), (latex, escape)):
        positions = [text.index(step.title(value)) for step in steps]
        assert positions == sorted(positions)
        assert all(text.count(step.title(value)) == 1 for step in steps)


def test_the_prov_document_has_an_activity_for_each_call_evaluation_and_other_producer(story):
    scope = run_scope(story.run)
    doc = document(scope)
    activities = list(doc.get_records(ProvActivity))
    produced_otherwise = [c for c in scope.candidates if c.llm_call_id is None]
    assert len(activities) == len(scope.calls) + len(scope.evaluations) + len(produced_otherwise)
    entities = {str(e.identifier) for e in doc.get_records(ProvEntity)}
    assert {f"st:candidate-{c.hash}" for c in scope.candidates} <= entities
    assert {f"st:annotation-{n.hash}" for n in scope.annotations} <= entities
