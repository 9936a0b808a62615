"""Projects, their runs, and a run's live progress."""

from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.shortcuts import render

from evolution.models import RunState
from evolution.runs import controller_of, state_of
from provenance.costs import Spent, dollars
from provenance.models import Evaluation, Membership
from web import annotations, downloads
from web.access import REVIEWER, get_run, project_access
from web.plot import best_score_plot
from web.progress import agent_table, progress
from web.render import page

LIVE = {RunState.Status.CREATED, RunState.Status.RUNNING, RunState.Status.STOPPING}


@login_required
def projects(request):
    memberships = Membership.objects.filter(user=request.user).select_related("project")
    return render(request, "pages/projects.html", {"memberships": memberships})


def project(request, slug: str):
    access = project_access(request, slug)
    runs = list(access.project.runs.select_related("state", "started_by").order_by("-id"))
    for each in runs:
        each.state = state_of(each)  # a bare record (no state row) lists as not started
    return render(request, "pages/project.html", {"access": access, "project": access.project, "runs": runs})


def run(request, run_id: int):
    """The run page; for htmx polling, only its status fragment (which stops polling once the run ends)."""
    run, access = get_run(request, run_id, "state__best_candidate")
    state = state_of(run)
    found = progress(run)
    best_seeds = None
    if state.best_candidate_id:
        best_seeds = Evaluation.objects.filter(candidate_id=state.best_candidate_id).aggregate(
            n=Sum("seeds")
        )["n"]
    context = {
        "run": run,
        "access": access,
        "state": state,
        "live": state.status in LIVE,
        # A running run's controller, and whether it is lost (a referee is not shown the lab's machines).
        "controller": controller_of(state, hide_host=access.role == REVIEWER),
        "best_seeds": best_seeds,
        "cost": Spent.of_run(run).text(dollars),
        "plot": best_score_plot(found.best, found.islands, found.evaluated),
        "agents": agent_table(run, found.improvements),
        "evaluated": found.evaluated,
    }
    if not request.htmx:
        context.update(annotations.context(access, "run", run), export_formats=downloads.choices())
        if access.is_owner:
            context["reviewer_links"] = run.reviewer_links.all()
    return page(request, "pages/run.html", context, fragment="pages/_run_status.html")
