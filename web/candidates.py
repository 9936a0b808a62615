"""A candidate's page: its source, what produced it, its diffs to its parents, its evaluations, its notes.

The queries are a fixed handful, whatever the size of the run (tests/pages assert the count)."""

from evolution.runs import state_of
from evolution.search_log import COPIES
from provenance.models import Activity, Agent, Edge
from web import annotations, downloads
from web.access import get_candidate
from web.kin import parents_and_children
from web.markup import diff_lines, highlight_python
from web.producer import producer_rows
from web.render import page
from web.runs import LIVE
from web.scores import SCALE, explain, explain_problem


def candidate(request, pk: int):
    """The page; for htmx polling (while an evaluation is awaited), only its evaluations."""
    candidate, access = get_candidate(
        request, pk, "agent__user", "llm_call__prompt", "llm_call__agent", "run__state"
    )
    evaluations = list(candidate.evaluations.order_by("problem", "seq"))
    for e in evaluations:
        e.meaning = explain_problem(e)
    # A person's submission is evaluated after it is recorded; so is a candidate of a run still going.
    state = state_of(candidate.run)
    waiting = candidate.activity == Activity.HUMAN_EDIT or state.status in LIVE
    copy_of = copied(candidate)
    explained = explain(evaluations, candidate.run.problems)
    context = {
        "candidate": candidate,
        "evaluations": evaluations,
        "awaiting": not evaluations and waiting and copy_of is None,
        "copy_of": copy_of,
        "explained": explained,
        "score_scale": SCALE,
    }
    if request.htmx and not request.htmx.boosted:
        return page(request, "pages/_evaluations.html", context, fragment="pages/_evaluations.html")
    parents, children, child_count = parents_and_children(candidate, explained)
    context.update(
        {
            "run": candidate.run,
            "access": access,
            "source_html": highlight_python(candidate.source),
            "parents": parents,
            "children": children,
            "child_count": child_count,
            "producer": producer_rows(candidate),
            "is_person": candidate.agent.kind == Agent.Kind.PERSON,
            "is_best": state.best_candidate_id == candidate.pk,
            "export_formats": downloads.choices(),
            **annotations.context(access, "candidate", candidate),
        }
    )
    return page(request, "pages/candidate.html", context)


def panel(request, pk: int):
    """The lineage page's side panel (htmx): a candidate's score, what produced it, its code and its diff
    to each parent, without leaving the graph."""
    candidate, _ = get_candidate(request, pk, "agent__user", "llm_call")
    evaluations = list(candidate.evaluations.order_by("problem", "seq"))
    edges = candidate.parent_edges.select_related("parent").order_by("seq")
    context = {
        "candidate": candidate,
        "explained": explain(evaluations, candidate.run.problems),
        "producer": producer_rows(candidate),
        "source_html": highlight_python(candidate.source),
        "diffs": [(edge, diff_lines(edge.parent.source, candidate.source)) for edge in edges],
    }
    return page(request, "pages/_candidate_panel.html", context)


def copied(candidate) -> int | None:
    """What a copy the program database made (evolution.search_log) copies: it is never evaluated itself.
    Read from its edge, not its params, whose ids are another database's after an import."""
    if candidate.activity not in COPIES:
        return None
    edges = candidate.parent_edges.filter(role__in=(Edge.Role.RESET_FOUNDER, Edge.Role.MIGRATION_SOURCE))
    return edges.values_list("parent_id", flat=True).first()
