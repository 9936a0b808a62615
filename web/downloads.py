"""Exports as downloads, from the candidate page (its ancestry) and the run page (the whole run).

Behind the same access checks as the pages they sit on: members and reviewers may download; anyone else
gets the same 404 (or login page) as for the page itself."""

from django.http import Http404, HttpResponse
from django.utils.http import content_disposition_header

from provenance.exports import FORMATS, export
from web.access import get_candidate, get_run

LABELS = {
    "md": "Transcript (Markdown)",
    "tex": "LaTeX supplement",
    "jsonl": "Archive (JSONL)",
    "prov": "PROV-JSON",
    "crate": "RO-Crate",
    "disclosure": "AI-use disclosure",
    "disclosure-tex": "AI-use disclosure (LaTeX)",
}


def choices() -> list[tuple[str, str]]:
    """(format, label) for each export, in FORMATS' order: the download buttons."""
    return [(fmt, LABELS.get(fmt, fmt)) for fmt in FORMATS]


def candidate_export(request, pk: int, fmt: str):
    candidate, _ = get_candidate(request, pk)
    return _download(fmt, candidate=candidate)


def run_export(request, run_id: int, fmt: str):
    run, _ = get_run(request, run_id)
    return _download(fmt, run=run)


def _download(fmt: str, **scope) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404(f"no export format {fmt!r}")
    exported = export(fmt, **scope)
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = content_disposition_header(True, exported.filename)
    return response
