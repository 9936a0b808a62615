"""The LaTeX supplement of a real GP run and of its best candidate compile with no overfull box, code lines
fit the page, the first page opens with the rule and the baseline table, and the run's export summarises
(the best candidate's ancestry in full, the rest in tables) rather than printing every candidate."""

import pytest

from evolution.controller import Controller
from provenance.exports import export
from provenance.exports.latex import PREAMBLE
from provenance.exports.results import best
from provenance.exports.scope import run_scope
from provenance.exports.tex import CODE_SIZE, WIDTH
from tests.evolution.conftest import config
from tests.exports.latex import compile_pdf, needs_pdflatex, pdf_text

pytestmark = [pytest.mark.django_db(transaction=True), needs_pdflatex]


@pytest.fixture(scope="function")
def run(project, alice):
    controller = Controller.start(project, config(budget=40, problems=("rank2", "rank3")), user=alice)
    controller.evolve()
    return controller.run


def first_page(pdf) -> str:
    return pdf_text(pdf).split("\f")[0]


def test_the_best_candidate_s_supplement_has_no_overfull_box(run, tmp_path):
    candidate = best(run_scope(run))
    pdf, log = compile_pdf(export("tex", candidate=candidate.pk).content.decode("ascii"), tmp_path)
    assert log.count("Overfull") == 0
    page = first_page(pdf)
    assert "def keep(seed):" in page and "Laporta" in page and "Kira-3" in page
    assert "checked at 2 or more independent primes" in " ".join(page.split())


def test_the_run_s_supplement_has_no_overfull_box_and_names_its_best(run, tmp_path):
    tex = export("tex", run=run.pk).content.decode("ascii")
    pdf, log = compile_pdf(tex, tmp_path)
    assert log.count("Overfull") == 0
    chosen = best(run_scope(run))
    assert f"The best candidate of the run is candidate {chosen.pk}" in " ".join(first_page(pdf).split())
    assert tex.count(r"\subsubsection*{Step ") < run.candidates.count()


def test_a_full_width_code_line_fits_inside_the_text_width(tmp_path):
    """fancyvrb lets a verbatim line run off the page without an Overfull warning: measure it instead."""
    probe = (
        PREAMBLE
        + "\\newlength\\code\n\\begin{document}\n"
        + f"\\settowidth{{\\code}}{{{CODE_SIZE}\\ttfamily {'M' * WIDTH}}}\n"
        + "\\typeout{CODE-FITS=\\ifdim\\code>\\linewidth no\\else yes\\fi}\nx\n\\end{document}\n"
    )
    _, log = compile_pdf(probe, tmp_path)
    assert "CODE-FITS=yes" in log
