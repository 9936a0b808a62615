"""A JSON API over the same records as the pages, for notebooks. Same access rules: a session login (or a
reviewer link) and membership; anything of another project is a 404."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse

from evolution.runs import controller_of, state_of
from provenance.costs import Spent
from provenance.models import Candidate, Membership, Run
from web.access import REVIEWER, get_candidate, get_run

PAGE_SIZE = 500


@login_required
def runs(request):
    projects = Membership.objects.filter(user=request.user).values_list("project_id", flat=True)
    rows = Run.objects.filter(project_id__in=projects).select_related("project", "state").order_by("-id")
    rows = list(rows)
    spent = Spent.of_runs(run.pk for run in rows)
    return JsonResponse({"runs": [run_summary(run, spent=spent[run.pk]) for run in rows]})


def run(request, run_id: int):
    run, access = get_run(request, run_id, "state")
    summary = run_summary(run, hide_host=access.role == REVIEWER)
    return JsonResponse({**summary, "role": access.role, "config": run.config})


def candidates(request, run_id: int):
    """The run's candidates in the order they were recorded, PAGE_SIZE at a time (?page=2, …)."""
    run, _ = get_run(request, run_id)
    rows = (
        Candidate.objects.filter(run=run)
        .order_by("seq")
        .values("id", "seq", "activity", "island", "agent__kind", "agent__name", "source_sha256", "ast_hash")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return JsonResponse(
        {
            "run": run.pk,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "count": page.paginator.count,
            "candidates": list(page.object_list),
        }
    )


def candidate(request, pk: int):
    candidate, _ = get_candidate(request, pk, "agent", "llm_call")
    evaluations = candidate.evaluations.order_by("problem", "seq").values(
        "id", "problem", "verdict", "score", "seeds", "equations", "independent_equations", "masters",
        "unreduced", "seconds", "failure", "error", "solver_version", "prime",
    )  # fmt: skip
    parents = candidate.parent_edges.order_by("seq").values("parent_id", "role", "slot", "activity")
    agent = candidate.agent
    return JsonResponse(
        {
            "id": candidate.pk,
            "run": candidate.run_id,
            "hash": candidate.hash,
            "source": candidate.source,
            "source_sha256": candidate.source_sha256,
            "activity": candidate.activity,
            "island": candidate.island,
            "params": candidate.params,
            "agent": {"id": agent.pk, "kind": agent.kind, "name": agent.name, "version": agent.version},
            "llm_call": candidate.llm_call_id,
            "response_text": candidate.llm_call.response_text if candidate.llm_call else None,
            "parents": list(parents),
            "evaluations": list(evaluations),
        }
    )


def run_summary(run: Run, hide_host: bool = False, spent: Spent | None = None) -> dict:
    state = state_of(run)
    spent = Spent.of_run(run) if spent is None else spent
    controller = controller_of(state, hide_host=hide_host)
    return {
        "id": run.pk,
        "project": run.project.slug,
        "title": run.title,
        "family": run.family,
        "problems": run.problems,
        "engine": run.engine,
        "random_seed": run.random_seed,
        "hash": run.hash,
        "status": state.status,
        # Why it stopped; for a running run whose controller is lost, how to go on.
        "message": controller.message if controller and controller.lost else state.message,
        "controller": None if controller is None else {
            "name": controller.name, "heard_from_seconds_ago": round(controller.seconds, 1),
            "lost": controller.lost,
        },
        "candidates": state.candidates,
        "evaluations": state.evaluations,
        "failures": state.failures,
        "in_flight": state.in_flight,
        "best_score": state.best_score,
        "best_candidate": state.best_candidate_id,
        # Under a Pareto objective the run's results are a set: the points of its front, each axis's score.
        "front": state.front,
        # None when some call's cost is unknown: a known part is not the cost.
        "cost": f"{spent.known:f}" if spent.complete else None,
        "cost_known_part": f"{spent.known:f}",
        "calls_of_unknown_cost": spent.unknown,
    }
