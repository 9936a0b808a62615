"""Exports as downloads, from the candidate page (its ancestry) and the run page (the whole run).

Behind the same access checks as the pages they sit on: members and reviewers may download; anyone else
gets the same 404 (or login page) as for the page itself.

A long export says how far it has got: the download link (pages/downloads.js) names a token of its own
making (`?progress=`), the export writes each step it reaches into the cache under that token and the
person's session, and the link's status reads it back (`progress`) while it waits. The cache, not the
request: the export's own response comes only at the end, and another worker process may answer the
question (the file cache is shared between them)."""

import re

from django.core.cache import cache
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache

from provenance.exports import FORMATS, export
from provenance.exports.progress import Step
from web.access import get_candidate, get_run

TOKEN = re.compile(r"[A-Za-z0-9]{16,64}")
PROGRESS_KEPT = 600  # seconds a step stays readable: longer than any export takes

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
    return _download(request, fmt, candidate=candidate)


def run_export(request, run_id: int, fmt: str):
    run, _ = get_run(request, run_id)
    return _download(request, fmt, run=run)


@never_cache
def progress(request, token: str):
    """The step the export with this token has reached: {"step", "of", "title"}, {"done": true} once its
    file is sent, {} before its first step (or for a token that is not this person's)."""
    key = _progress_key(request, token)
    return JsonResponse((cache.get(key) if key else None) or {})


def _download(request, fmt: str, **scope) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404(f"no export format {fmt!r}")
    key = _progress_key(request, request.GET.get("progress", ""))

    def report(step: Step) -> None:
        cache.set(key, {"step": step.number, "of": step.total, "title": step.title}, PROGRESS_KEPT)

    try:
        exported = export(fmt, report=report if key else None, **scope)
    finally:
        if key:
            cache.set(key, {"done": True}, PROGRESS_KEPT)
    response = HttpResponse(exported.content, content_type=exported.content_type)
    response["Content-Disposition"] = content_disposition_header(True, exported.filename)
    return response


def _progress_key(request, token: str) -> str | None:
    """The cache key of one person's export: the token alone would let anyone who saw it read along."""
    who = request.user.pk if request.user.is_authenticated else request.session.session_key
    if who is None or not TOKEN.fullmatch(token):
        return None
    return f"export-progress:{who}:{token}"
