"""One escape function for every untrusted string in LaTeX, checked on a hostile corpus and by pdflatex."""

import pytest

from provenance.exports.tex import FORMATTER, SPECIALS, code, escape
from tests.exports.conftest import HOSTILE
from tests.exports.latex import compile_pdf, needs_pdflatex

CORPUS = [
    "\\input{/etc/passwd}",
    "\\include{/etc/shadow}",
    "\\write18{rm -rf /}",
    "\\immediate\\write18{id}",
    "\\def\\x{y}\\x",
    "\\catcode`\\@=11",
    "\\csname end\\endcsname",
    "\\end{document}",
    "\\end{Verbatim}",
    "\n\\end{Verbatim}\n",
    "$\\alpha$",
    "& % # _ { } ~ ^",
    "\\\\",
    "^^5cinput",
    "--- -- -",
    "'`\"",
    "<script>alert(1)</script>",
    "\x00\x07\x1b[31m\x0b\x0c\x7f\x85",
    "\u202eevil\u202c",
    "é ü ß → … 🙂 中文",
    "\u2028\u2029",
    "}" * 50,
    "{" * 50,
    "%" + "\n" + "\\input{x}",
    HOSTILE,
]


@pytest.mark.parametrize("text", CORPUS)
def test_escaped_text_holds_no_command_no_group_and_no_raw_special(text):
    escaped = escape(text)
    assert escaped.isascii()
    # What is left once the escapes we write are removed has no backslash, brace, $, &, #, %, ^, _ or ~.
    for ours in sorted(set(SPECIALS.values()), key=len, reverse=True):
        escaped = escaped.replace(ours, "")
    escaped = escaped.replace(r"\textless{}U+", "").replace(r"\textgreater{}", "")
    assert not set(escaped) & set("\\{}$&#%^_~")


def test_the_code_formatter_passes_no_raw_latex():
    assert not FORMATTER.texcomments and not FORMATTER.mathescape and not FORMATTER.escapeinside
    block = code("# \\input{/etc/passwd} $x$\nx = 1  # \\write18{id}\n", "python")
    assert "\\input" not in block and "\\write18" not in block


@needs_pdflatex
def test_the_hostile_corpus_compiles_and_prints_as_text(tmp_path):
    body = "\n\n".join(escape(text) + "\n" + code(text) + code(text, "python") for text in CORPUS)
    source = (
        "\\documentclass{article}\\usepackage[T1]{fontenc}\\usepackage{mathptmx}\\usepackage{courier}"
        "\\usepackage{fancyvrb}\\usepackage{color}\n"
        + FORMATTER.get_style_defs()
        + "\n\\begin{document}\nSTART\n"
        + body
        + "\nEND-OF-DOCUMENT\n\\end{document}\n"
    )
    pdf, log = compile_pdf(source, tmp_path)
    assert pdf.exists()
    assert "(/etc/passwd" not in log and "(/etc/shadow" not in log  # pdflatex logs each file it opens
    assert "runsystem" not in log  # \write18 never ran
