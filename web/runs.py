"""Projects, their runs, and a run's live progress."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from evolution.models import RunState
from evolution.runs import controller_of, state_of
from provenance.models import Evaluation, Membership
from web import annotations, downloads
from web.access import REVIEWER, get_run, project_access
from web.render import page
from web.run_panel import run_panel
from web.scores import SCALE, explain, explain_all, explain_problem

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
    best = [each.state.best_candidate_id for each in runs if each.state.best_candidate_id]
    explained = explain_all(Evaluation.objects.filter(candidate_id__in=best))
    for each in runs:
        each.best_explained = explained.get(each.state.best_candidate_id)
    return render(request, "pages/project.html", {"access": access, "project": access.project, "runs": runs})


def run(request, run_id: int):
    """The run page; for htmx polling, only its status fragment (which stops polling once the run ends)."""
    run, access = get_run(request, run_id, "state__best_candidate")
    state = state_of(run)
    live = state.status in LIVE
    best_seeds = best_explained = None
    held_out = []
    if state.best_candidate_id:
        evaluations = list(Evaluation.objects.filter(candidate_id=state.best_candidate_id)
                           .order_by("problem"))
        trained = [e for e in evaluations if e.problem in run.problems]
        best_seeds = sum(e.seeds for e in trained if e.seeds is not None) if trained else None
        best_explained = explain(evaluations, run.problems)
        held_out = [explain_problem(e) for e in evaluations if e.problem not in run.problems]
    context = {
        "run": run,
        "access": access,
        "state": state,
        "live": live,
        # A running run's controller, and whether it is lost (a referee is not shown the lab's machines).
        "controller": controller_of(state, hide_host=access.role == REVIEWER),
        "best_seeds": best_seeds,
        "best_explained": best_explained,
        "held_out": held_out,  # the best rule on problems the run never trained on
        "score_scale": SCALE,
        "panel": run_panel(run, state, live),
    }
    if not request.htmx:
        context.update(annotations.context(access, "run", run), export_formats=downloads.choices())
        if access.is_owner:
            context["reviewer_links"] = run.reviewer_links.all()
    return page(request, "pages/run.html", context, fragment="pages/_run_status.html")
