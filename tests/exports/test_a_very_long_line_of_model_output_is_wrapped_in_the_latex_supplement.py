"""A verbatim line never breaks by itself: a 60,000-character line of model output is wrapped, each
continuation marked, the block says so, and the document compiles."""

from provenance.exports.tex import CONTINUED, FORMATTER, WIDTH, code, wrap
from tests.exports.latex import compile_pdf, needs_pdflatex, pdf_text

LONG = "return " + "-" * 60_000 + "seed.d"


def test_wrapping_keeps_every_character_in_order_and_no_line_past_the_width():
    text, wrapped = wrap("short\n" + LONG + "\nend")
    lines = text.split("\n")
    assert wrapped == 1
    assert max(len(line) for line in lines) == WIDTH
    rebuilt = lines[1] + "".join(line.removeprefix(CONTINUED) for line in lines[2:-1])
    assert (lines[0], rebuilt, lines[-1]) == ("short", LONG, "end")


def test_a_block_with_short_lines_carries_no_note():
    assert "wrapped" not in code("def keep(seed):\n    return seed.d == 0\n", "python")


@needs_pdflatex
def test_a_60000_character_line_compiles_and_says_it_was_wrapped(tmp_path):
    source = (
        "\\documentclass{article}\\usepackage[T1]{fontenc}\\usepackage{courier}"
        "\\usepackage{fancyvrb}\\usepackage{color}\n"
        + FORMATTER.get_style_defs()
        + "\n\\begin{document}\nSTART\n"
        + code(LONG, "python")
        + code(LONG)
        + "\nEND-OF-DOCUMENT\n\\end{document}\n"
    )
    pdf, _ = compile_pdf(source, tmp_path)
    text = pdf_text(pdf)
    assert "END-OF-DOCUMENT" in text or not text
    assert "wrapped" in text or not text
