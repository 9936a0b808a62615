"""A candidate's page: its source, what produced it, its diffs to its parents, its evaluations, its notes.

The queries are a fixed handful, whatever the size of the run (tests/pages assert the count)."""

from provenance.models import Agent, Edge
from provenance.pages import annotations
from provenance.pages.access import get_candidate
from provenance.pages.render import page
from provenance.pages.text import diff_lines, highlight_python


def candidate(request, pk: int):
    candidate, access = get_candidate(
        request, pk, "agent__user", "llm_call__prompt", "llm_call__agent", "run__state"
    )
    edges = candidate.parent_edges.select_related("parent__agent").order_by("seq")
    parents = [
        {"edge": edge, "parent": edge.parent, "diff": diff_lines(edge.parent.source, candidate.source)}
        for edge in edges
    ]
    children = Edge.objects.filter(parent=candidate).select_related("child__agent").order_by("seq")[:50]
    context = {
        "candidate": candidate,
        "run": candidate.run,
        "access": access,
        "source_html": highlight_python(candidate.source),
        "parents": parents,
        "children": children,
        "evaluations": candidate.evaluations.order_by("problem", "seq"),
        "is_person": candidate.agent.kind == Agent.Kind.PERSON,
        "is_best": candidate.run.state.best_candidate_id == candidate.pk,
        **annotations.context(access, "candidate", candidate),
    }
    return page(request, "pages/candidate.html", context)
