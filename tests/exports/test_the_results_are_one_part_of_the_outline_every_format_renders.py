"""The results and a whole run's numbers are part of the one outline: computed once an export, and every
cell, sentence and count of them shown by the transcript and the LaTeX supplement alike."""

import pytest

from provenance.exports import candidate_scope, export, outline, provjson, run_scope
from provenance.exports.latex import supplement
from provenance.exports.tex import escape
from provenance.exports.transcript import md, transcript

pytestmark = pytest.mark.django_db
FORMATS = ((transcript, md, ""), (supplement, escape, "--"))  # a format, how it escapes, what stands for none


@pytest.fixture
def counted(monkeypatch):
    calls = []

    def counting(module):
        real = module.results
        monkeypatch.setattr(module, "results", lambda scope: calls.append(scope) or real(scope))

    counting(outline)
    counting(provjson)
    return calls


@pytest.mark.parametrize("fmt", ["md", "tex", "prov"])
def test_an_export_computes_its_results_once(story, counted, fmt):
    export(fmt, run=story.run.pk)
    assert len(counted) == 1


@pytest.mark.parametrize("scope_of", [lambda story: candidate_scope(story.final), lambda s: run_scope(s.run)])
def test_both_formats_show_every_cell_and_sentence_of_the_results(story, scope_of):
    scope = scope_of(story)
    res = outline.build(scope).results
    assert res.rows and any(None in row.cells() for row in res.rows)
    for render, value, none in FORMATS:
        text = render(scope)
        assert f"The {res.which} is candidate {res.candidate.pk}" in text
        for row in res.rows:
            assert all((none if cell is None else value(cell)) in text for cell in row.cells())
        assert all(value(line) in text for line in [res.checked, *res.unchecked])


def test_a_whole_run_s_numbers_are_in_both_formats_and_say_which_steps_follow(story):
    plan = outline.build(run_scope(story.run), final_ancestry=True)
    numbers = plan.numbers
    assert plan.told == plan.results.candidate and numbers.candidates == 5
    for text, value in ((transcript(run_scope(story.run)), md), (supplement(run_scope(story.run)), escape)):
        assert value(numbers.counted) in text and value(numbers.top_title) in text
        assert all(value(a.activity) in text for a in numbers.activities)
    assert "The steps below tell every one of them." in transcript(run_scope(story.run))
    assert f"tell only candidate {plan.told.pk}'s ancestry" in supplement(run_scope(story.run))
    assert outline.build(candidate_scope(story.final)).numbers is None
