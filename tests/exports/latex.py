"""Compile a LaTeX document with pdflatex when it is installed (.ci/run installs it)."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

PDFLATEX = shutil.which("pdflatex")
# A developer's machine may lack TeX (the test says so and skips); CI installs it, so there a missing
# pdflatex is a failure, never a silent skip.
if PDFLATEX is None and os.environ.get("CI"):
    raise RuntimeError("CI must install pdflatex (.ci/run does: texlive-latex-base …)")
needs_pdflatex = pytest.mark.skipif(PDFLATEX is None, reason="no pdflatex here (.ci/run installs it)")


def compile_pdf(source: str, folder: Path) -> tuple[Path, str]:
    """(the PDF, the log); fails the test with the log's errors if pdflatex does."""
    (folder / "doc.tex").write_text(source, encoding="ascii")
    # -no-shell-escape: \write18 must not run even if an escape slipped through (the tests check it did not).
    done = subprocess.run(
        [PDFLATEX, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", "doc.tex"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )
    log = (folder / "doc.log").read_text(errors="replace") if (folder / "doc.log").exists() else done.stdout
    if done.returncode != 0:
        errors = [line for line in log.splitlines() if line.startswith("!")]
        pytest.fail(f"pdflatex failed: {errors or log[-2000:]}")
    return folder / "doc.pdf", log


def pdf_text(pdf: Path) -> str:
    """The PDF's text when pdftotext is there, else empty (the checks on the source still run)."""
    tool = shutil.which("pdftotext")
    if tool is None:
        return ""
    return subprocess.run([tool, "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
