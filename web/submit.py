"""Human candidates: a person edits a candidate's source in the browser and submits it; the new program
joins the run as `human_edit_of` its original, attributed to the person, and is evaluated by the same
Celery task as every other candidate.

Text that cannot be taken as a program at all (over MAX_SOURCE characters, or nested too deep for any
parser to read: provenance.pysource) is refused in the form, with nothing written. Anything else is
recorded: a syntax error or a program the sandbox's policy refuses is a candidate whose evaluation failed,
with the reason, like every other candidate's."""

from django.db import transaction
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from evolution import sandbox
from evolution.dispatch import evaluate_later
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
    source, rationale, error = original.source, "", ""
    if request.method == "POST":
        source = request.POST.get("source", "").replace("\r\n", "\n")
        rationale = request.POST.get("rationale", "").replace("\r\n", "\n").strip()
        error = unreadable(source) or (f"a rationale has at most {MAX_RATIONALE} characters"
                                       if len(rationale) > MAX_RATIONALE else "")
        if not error:
            try:
                submitted = submit_edit(original, source, request.user, rationale)
            except RecordError as refused:
                error = str(refused)
            else:
                return redirect("pages:candidate", submitted.pk)
    context = {"candidate": original, "run": original.run, "access": access, "source": source,
               "rationale": rationale, "error": error, "check": check_source(source)}
    return page(request, "pages/edit.html", context, status=400 if error else 200)


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


def submit_edit(original: Candidate, source: str, user, rationale: str = "") -> Candidate:
    """The edit as a candidate; the person's rationale, when given, in its params (hashed with it)."""
    with transaction.atomic():
        candidate = ledger.record_candidate(
            original.run,
            source=source,
            activity=Activity.HUMAN_EDIT,
            agent=ledger.person_agent(user),
            parents=[(original, Edge.Role.HUMAN_EDIT_OF)],
            island=original.island,
            params={"rationale": rationale} if rationale else None,
        )
        evaluate_later(candidate)
    return candidate
