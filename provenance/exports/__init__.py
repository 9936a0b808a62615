"""Exports of the record: a transcript (Markdown), a LaTeX supplement, a lossless JSONL archive, PROV-JSON,
an RO-Crate and an AI-use disclosure — of a candidate's ancestry (the default) or of a whole run.

`export(fmt, candidate=…)` / `export(fmt, run=…)` returns an Export a view can send as it is.
"""

from dataclasses import dataclass
from importlib import import_module

from provenance.exports import progress
from provenance.exports.scope import Scope, candidate_scope, run_scope


@dataclass(frozen=True)
class Export:
    content: bytes
    filename: str
    content_type: str


# format → module whose render(scope) -> Export
FORMATS = {
    "md": "transcript",
    "tex": "latex",
    "jsonl": "archive",
    "prov": "provjson",
    "crate": "crate",
    "disclosure": "disclosure",
    "disclosure-tex": "disclosure",
}


def export(fmt: str, *, candidate=None, run=None, report=None) -> Export:
    """`report`, if given, is called with each step as the export reaches it (provenance.exports.progress)."""
    if (candidate is None) == (run is None):
        raise ValueError("export a candidate's ancestry or a run, not both")
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    with progress.watching(fmt, report):
        progress.step(progress.READING)
        scope = candidate_scope(candidate) if candidate is not None else run_scope(run)
        return render(fmt, scope)


def render(fmt: str, scope: Scope) -> Export:
    progress.step(progress.WRITING.get(fmt, ""))
    module = import_module(f"provenance.exports.{FORMATS[fmt]}")
    if fmt == "disclosure-tex":
        return module.render_tex(scope)
    return module.render(scope)


__all__ = ["FORMATS", "Export", "Scope", "candidate_scope", "export", "render", "run_scope"]
