"""A note's Markdown is typeset in the LaTeX supplement: emphasis, inline code, lists and `$…$` math kept;
math that could run TeX (\\input, \\write18, \\catcode, ^^ escapes, unbalanced braces) comes out as text."""

import pytest

from provenance import ledger
from provenance.exports import export
from provenance.exports.markdown_tex import markdown
from tests.exports.latex import compile_pdf, needs_pdflatex, pdf_text

pytestmark = pytest.mark.django_db
NOTE = (
    "The rule keeps $s \\le s_{top} - (t_{top} - t)$, **no dots**, and `seed.d == 0`.\n\n"
    "- first *point* $x_1$\n- second\n\n"
    "Hostile: $\\input{/etc/passwd}$ $\\catcode`\\@=11$ $^^5cwrite18{id}$ $a}{b$ $a\\\\b$"
)


def test_markdown_and_safe_math_are_typeset():
    tex = markdown(NOTE)
    assert r"$s \le s_{top} - (t_{top} - t)$" in tex and r"\textbf{no dots}" in tex
    assert r"\begin{itemize}" in tex and r"\emph{point}" in tex and "$x_1$" in tex
    assert r"\texttt{seed.d =" in tex


@pytest.mark.parametrize("word", [r"\input{", r"\catcode", "^^5c", r"\write18"])
def test_math_that_could_run_tex_comes_out_as_text(word):
    assert word not in markdown(NOTE)


@needs_pdflatex
def test_a_note_in_the_supplement_compiles_with_its_math(story, alice, tmp_path):
    ledger.annotate(story.final, NOTE, alice)
    tex = export("tex", candidate=story.final.pk).content.decode("ascii")
    pdf, log = compile_pdf(tex, tmp_path)
    text = pdf_text(pdf)
    assert "(/etc/passwd" not in log
    assert not text or ("no dots" in text and "**" not in text.split("HOSTILE-MARKER")[0])
