"""Human candidates: a person edits a candidate's source in the browser and submits it; the new program
joins the run as `human_edit_of` its original, attributed to the person, and is evaluated by the same
Celery task as every other candidate: on the run's problems, or on those the person ticks (some of the
run's, other problems of the run's family: evolution.problem_choice).

Text that cannot be taken as a program at all (over MAX_SOURCE characters, or nested too deep for any
parser to read: provenance.pysource) is refused in the form, with nothing written. Anything else is
recorded: a syntax error or a program the sandbox's policy refuses is a candidate whose evaluation failed,
with the reason, like every other candidate's."""

from django.db import transaction
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from evolution import sandbox
from evolution.dispatch import evaluate_later
from evolution.problem_choice import family_problems
from provenance import ledger, pysource
from provenance.errors import RecordError
from provenance.models import Activity, Candidate, Edge
from web.access import get_candidate
from web.render import page

MAX_SOURCE = 20_000
MAX_RATIONALE = 4000


def edit(request, pk: int):
    original, access = get_candidate(request, pk)
    access.require_write()
    run = original.run
    source, rationale, error, problems = original.source, "", "", list(run.problems)
    if request.method == "POST":
        source = request.POST.get("source", "").replace("\r\n", "\n")
        rationale = request.POST.get("rationale", "").replace("\r\n", "\n").strip()
        problems, refused_problems = chosen_problems(request.POST, run)
        error = unreadable(source) or (f"a rationale has at most {MAX_RATIONALE} characters"
                                       if len(rationale) > MAX_RATIONALE else "") or refused_problems
        if not error:
            try:
                submitted = submit_edit(original, source, request.user, rationale, problems)
            except RecordError as refused:
                error = str(refused)
            else:
                return redirect("pages:candidate", submitted.pk)
    context = {"candidate": original, "run": run, "access": access, "source": source,
               "rationale": rationale, "error": error, "check": check_source(source),
               **problem_choices(run, problems)}
    return page(request, "pages/edit.html", context, status=400 if error else 200)


def other_problems(run) -> list[str]:
    """The problems of the run's family that the run does not evolve rules for."""
    return [name for name in family_problems(run.family) if name not in run.problems]


def problem_choices(run, ticked: list[str]) -> dict:
    """The form's boxes: the run's problems, and the family's others (optional), each ticked or not."""
    def boxes(names):
        return [{"name": name, "ticked": name in ticked} for name in names]

    return {"run_problems": boxes(run.problems), "other_problems": boxes(other_problems(run))}


def chosen_problems(form, run) -> tuple[list[str], str]:
    """The problems ticked (the run's first, in its order, then the family's), and why they are refused,
    or "". A submission without the boxes (not from the form) is evaluated on the run's problems."""
    if not form.get("problems-shown"):
        return list(run.problems), ""
    ticked = form.getlist("problems")
    offered = [*run.problems, *other_problems(run)]
    unknown = [name for name in ticked if name not in offered]
    if unknown:
        return ticked, f"no problem {unknown[0]!r} in the family {run.family}"
    chosen = [name for name in offered if name in ticked]
    return chosen, "" if chosen else "tick at least one problem to evaluate the edit on"


@require_POST
def check(request, pk: int):
    """The edit form's live check (htmx): what the evaluation would say of the text before it is run."""
    original, access = get_candidate(request, pk)
    access.require_write()
    source = request.POST.get("source", "").replace("\r\n", "\n")
    return page(request, "pages/_source_check.html", {"check": check_source(source)})


def check_source(source: str) -> dict:
    """Whether the text reads as Python and passes the sandbox's static policy; the reason when not."""
    problem = _problem(source, syntax_too=True)
    if not problem:
        try:
            sandbox.check(source)
        except sandbox.Refused as refused:
            problem = f"the sandbox would refuse it: {refused}"
    return {"ok": not problem, "problem": problem}


def unreadable(source: str) -> str:
    """Why the text cannot be taken as a program at all, or "" (syntax errors are the evaluation's to say)."""
    return _problem(source, syntax_too=False)


def _problem(source: str, syntax_too: bool) -> str:
    """One bounded parse: why the text is no program (a syntax error only when `syntax_too`), or ""."""
    if len(source) > MAX_SOURCE:
        return f"a program has at most {MAX_SOURCE} characters"
    try:
        pysource.parse(source, max_chars=MAX_SOURCE)
    except pysource.Unreadable as refused:
        if refused.kind != refused.SYNTAX:
            return f"this cannot be read as a program: {refused.reason}"
        return refused.reason if syntax_too else ""
    return ""


def submit_edit(original: Candidate, source: str, user, rationale: str = "", problems=None) -> Candidate:
    """The edit as a candidate; the person's rationale, when given, and the problems they chose, when not
    the run's, in its params (hashed with it)."""
    params = {"rationale": rationale} if rationale else {}
    if problems is not None and list(problems) != list(original.run.problems):
        params["problems"] = list(problems)
    with transaction.atomic():
        candidate = ledger.record_candidate(
            original.run,
            source=source,
            activity=Activity.HUMAN_EDIT,
            agent=ledger.person_agent(user),
            parents=[(original, Edge.Role.HUMAN_EDIT_OF)],
            island=original.island,
            params=params or None,
        )
        evaluate_later(candidate)
    return candidate
