"""Search within a project: program sources, prompts, model outputs, the current version of notes, and the
agents that produced candidates (a model's name, an operator, a person).

A plain case-insensitive substring match (icontains), counted per kind and paged across the kinds; a
full-text index (PostgreSQL tsvector, SQLite FTS5) is the step after this one. Matches are marked by
splitting the text around them: the template escapes each part, so nothing found is ever markup."""

from dataclasses import dataclass

from django.db.models import Q

from provenance.models import AnnotationHead, Candidate, Evaluation, LLMCall, Prompt
from web.access import project_access
from web.labels import agent_label
from web.render import page
from web.scores import Explained, explain_all

PER_PAGE = 50
MAX_QUERY = 200
CONTEXT = 60


@dataclass(frozen=True)
class Hit:
    kind: str
    candidate: int | None
    run: int
    before: str
    match: str
    after: str
    explained: Explained | None = None


def split(text: str, query: str) -> tuple[str, str, str]:
    """(before, match, after) around the first match, cut to CONTEXT characters each side."""
    at = text.lower().find(query.lower())
    if at < 0:
        return text[: 2 * CONTEXT], "", ""
    start, end = max(at - CONTEXT, 0), at + len(query)
    more = "…" if end + CONTEXT < len(text) else ""
    return ("…" if start else "") + text[start:at], text[at:end], text[end : end + CONTEXT] + more


def kinds(runs, query: str) -> list[tuple[str, object, callable]]:
    """(kind, queryset, hit maker) for each kind of text searched, newest first within a kind."""
    agents = (Q(agent__name__icontains=query) | Q(agent__model__icontains=query)
              | Q(agent__operator__icontains=query) | Q(activity__icontains=query.replace(" ", "_")))
    return [
        ("program", Candidate.objects.filter(run__in=runs, source__icontains=query).order_by("-id"),
         lambda c: (c.pk, c.run_id, c.source)),
        ("agent", Candidate.objects.filter(agents, run__in=runs).select_related("agent").order_by("-id"),
         lambda c: (c.pk, c.run_id, f"{agent_label(c.agent.name)} ({c.agent.kind}) · {c.activity}")),
        ("prompt", Prompt.objects.filter(run__in=runs, text__icontains=query).order_by("-id"),
         lambda p: (p.calls.values_list("candidates__id", flat=True).first(), p.run_id, p.text)),
        ("model output", LLMCall.objects.filter(run__in=runs, response_text__icontains=query).order_by("-id"),
         lambda c: (c.candidates.values_list("id", flat=True).first(), c.run_id, c.response_text)),
        ("note", AnnotationHead.objects.filter(current__run__in=runs, current__body__icontains=query)
         .select_related("current").order_by("-current_id"), _note),
    ]


def _note(head):
    note = head.current
    return (note.target_id if note.target_type == "candidate" else None, note.run_id, note.body)


def find(runs, query: str, page_number: int) -> tuple[list[Hit], int]:
    """One page of hits over every kind, in the order of `kinds`, and how many there are in all."""
    first, hits, total = (page_number - 1) * PER_PAGE, [], 0
    for kind, found, make in kinds(runs, query):
        count = found.count()
        lo, hi = max(first - total, 0), min(first + PER_PAGE - total, count)
        for row in found[lo:hi] if lo < hi else []:
            candidate, run, text = make(row)
            label = f"note on {row.current.target_type}" if kind == "note" else kind
            hits.append(Hit(label, candidate, run, *split(text, query)))
        total += count
    shown = {h.candidate for h in hits if h.candidate}
    scores = explain_all(Evaluation.objects.filter(candidate_id__in=shown))
    return [Hit(**{**h.__dict__, "explained": scores.get(h.candidate)}) for h in hits], total


def search(request, slug: str):
    access = project_access(request, slug)
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    try:
        page_number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page_number = 1
    hits, total = find(access.project.runs.all(), query, page_number) if query else ([], 0)
    pages = max(1, -(-total // PER_PAGE))
    context = {"project": access.project, "access": access, "query": query, "results": hits, "total": total,
               "page_number": page_number, "pages": pages, "first": (page_number - 1) * PER_PAGE + 1,
               "last": (page_number - 1) * PER_PAGE + len(hits),
               "previous": page_number - 1 if page_number > 1 else None,
               "next": page_number + 1 if page_number < pages else None}
    return page(request, "pages/search.html", context)
