"""The LaTeX supplement holds every step of the ancestry, escapes everything untrusted, and compiles."""

import pytest

from provenance.exports import export
from provenance.exports.tex import ascii_text, escape
from provenance.models import ChainHead
from tests.exports.latex import compile_pdf, needs_pdflatex, pdf_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def tex(story) -> str:
    return export("tex", candidate=story.final.pk).content.decode("ascii")


def test_it_holds_every_ancestor_prompt_output_and_the_chain_head(story, tex):
    for candidate in (story.founder, story.mutant, story.llm, story.final):
        assert candidate.hash in tex
    assert "STRANGER" not in tex
    assert r"PROMPT\PYZhy{}TEXT\PYZhy{}1" in tex and r"MODEL\PYZhy{}OUTPUT\PYZhy{}1" in tex
    head = ChainHead.objects.get(name=f"run:{story.run.pk}")
    assert head.hash in tex and escape(f"manage.py verify --run {story.run.pk}") in tex


def test_nothing_untrusted_reaches_latex_unescaped(tex):
    assert r"\input{" not in tex and r"\write18" not in tex and r"\end{document}" in tex
    assert tex.count(r"\end{document}") == 1 and tex.count(r"\begin{document}") == 1
    assert "<script>" not in tex and ascii_text(tex) == tex


@needs_pdflatex
def test_it_compiles(story, tex, tmp_path):
    pdf, log = compile_pdf(tex, tmp_path)
    assert "(/etc/passwd" not in log
    text = pdf_text(pdf)
    if text:
        assert "PROMPT-TEXT-1" in text and "\\input{/etc/passwd}" in text


@needs_pdflatex
def test_a_whole_run_compiles(story, tmp_path):
    compile_pdf(export("tex", run=story.run.pk).content.decode("ascii"), tmp_path)
