"""Human candidates: a person edits a candidate's source in the browser and submits it; the new program
joins the run as `human_edit_of` its original, attributed to the person, and is evaluated by the same
Celery task as every other candidate."""

from django.db import transaction
from django.shortcuts import redirect

from provenance import ledger
from provenance.errors import RecordError
from provenance.models import Activity, Candidate, Edge
from provenance.pages.access import get_candidate
from provenance.pages.render import page
from provenance.signals import candidate_submitted

MAX_SOURCE = 20_000


def edit(request, pk: int):
    original, access = get_candidate(request, pk)
    access.require_write()
    source, error = original.source, ""
    if request.method == "POST":
        source = request.POST.get("source", "").replace("\r\n", "\n")
        if len(source) > MAX_SOURCE:
            error = f"a program has at most {MAX_SOURCE} characters"
        else:
            try:
                submitted = submit_edit(original, source, request.user)
            except RecordError as refused:
                error = str(refused)
            else:
                return redirect("pages:candidate", submitted.pk)
    context = {"candidate": original, "run": original.run, "access": access, "source": source, "error": error}
    return page(request, "pages/edit.html", context, status=400 if error else 200)


def submit_edit(original: Candidate, source: str, user) -> Candidate:
    # Evaluating is the evolution room's work: it listens for the signal (provenance never imports it).
    with transaction.atomic():
        candidate = ledger.record_candidate(
            original.run,
            source=source,
            activity=Activity.HUMAN_EDIT,
            agent=ledger.person_agent(user),
            parents=[(original, Edge.Role.HUMAN_EDIT_OF)],
            island=original.island,
        )
        candidate_submitted.send(sender=Candidate, candidate=candidate)
    return candidate
