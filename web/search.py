"""Search within a project: program sources, prompts, model outputs and the current version of notes.

A plain case-insensitive substring match (icontains), capped per kind: enough for a project's runs; a
full-text index (PostgreSQL tsvector, SQLite FTS5) is the step after this one."""

from provenance.models import AnnotationHead, Candidate, LLMCall, Prompt
from web.access import project_access
from web.render import page

LIMIT = 50
MAX_QUERY = 200
CONTEXT = 60


def snippet(text: str, query: str) -> str:
    at = text.lower().find(query.lower())
    if at < 0:
        return text[: 2 * CONTEXT]
    start = max(at - CONTEXT, 0)
    return ("…" if start else "") + text[start : at + len(query) + CONTEXT] + "…"


def search(request, slug: str):
    access = project_access(request, slug)
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    results = []
    if query:
        runs = access.project.runs.all()
        for candidate in Candidate.objects.filter(run__in=runs, source__icontains=query).order_by("-id")[
            :LIMIT
        ]:
            results.append(("program", candidate.pk, candidate.run_id, snippet(candidate.source, query)))
        for prompt in Prompt.objects.filter(run__in=runs, text__icontains=query).order_by("-id")[:LIMIT]:
            first = prompt.calls.values_list("candidates__id", flat=True).first()
            results.append(("prompt", first, prompt.run_id, snippet(prompt.text, query)))
        calls = LLMCall.objects.filter(run__in=runs, response_text__icontains=query).order_by("-id")[:LIMIT]
        for call in calls:
            first = call.candidates.values_list("id", flat=True).first()
            results.append(("model output", first, call.run_id, snippet(call.response_text, query)))
        heads = AnnotationHead.objects.filter(
            current__run__in=runs, current__body__icontains=query
        ).select_related("current")[:LIMIT]
        for head in heads:
            note = head.current
            candidate = note.target_id if note.target_type == "candidate" else None
            results.append((f"note on {note.target_type}", candidate, note.run_id, snippet(note.body, query)))
    context = {"project": access.project, "access": access, "query": query, "results": results}
    return page(request, "pages/search.html", context)
