"""Notes on records: shown on the record, added and edited (as a new version) by editors and owners."""

from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from provenance import ledger
from provenance.errors import LinkError
from provenance.models import Annotation, AnnotationHead, Candidate, Evaluation, LLMCall, Prompt, Run
from web.access import refusal, run_access
from web.markup import render_markdown
from web.render import page

MAX_BODY = 20_000
# What a note may be on, from the pages: records that belong to a run (its chain carries the note).
TARGETS = {model._meta.model_name: model for model in (Run, Candidate, Evaluation, LLMCall, Prompt)}


def threads(target_type: str, target_id: int) -> list[Annotation]:
    """The current version of each note on a record, oldest thread first, rendered. One query."""
    heads = (
        AnnotationHead.objects.filter(target_type=target_type, target_id=target_id)
        .select_related("current__author")
        .order_by("first_id")
    )
    notes = []
    for head in heads:
        note = head.current
        note.html = render_markdown(note.body)
        notes.append(note)
    return notes


def annotated_ids(target_type: str, ids) -> set[int]:
    return set(
        AnnotationHead.objects.filter(target_type=target_type, target_id__in=ids).values_list(
            "target_id", flat=True
        )
    )


def context(access, target_type: str, target) -> dict:
    return {
        "notes": threads(target_type, target.pk),
        "target_type": target_type,
        "target": target,
        "can_write": access.can_write,
    }


@require_POST
def annotate(request, target_type: str, target_id: int):
    model = TARGETS.get(target_type)
    target = model and model.objects.filter(pk=target_id).first()
    if target is None:
        raise refusal(request)
    run_id = target.pk if isinstance(target, Run) else target.run_id
    run = Run.objects.select_related("project").get(pk=run_id)
    access = run_access(request, run)
    access.require_write()
    body = request.POST.get("body", "")
    if not body.strip() or len(body) > MAX_BODY:
        return HttpResponseBadRequest(f"a note has between 1 and {MAX_BODY} characters")
    previous = None
    if request.POST.get("previous"):
        previous = Annotation.objects.filter(
            pk=request.POST["previous"], target_type=target_type, target_id=target_id
        ).first()
        if previous is None:
            raise refusal(request)
    try:
        ledger.annotate(target, body, request.user, previous=previous)
    except LinkError as error:  # someone else edited the note meanwhile
        return HttpResponseBadRequest(str(error))
    ctx = context(access, target_type, target)
    if request.htmx:
        return page(request, "pages/_annotations.html", ctx, fragment="pages/_annotations.html")
    return redirect(record_url(target_type, target))


def record_url(target_type: str, target) -> str:
    if target_type == "candidate":
        return reverse("pages:candidate", args=[target.pk])
    if target_type == "run":
        return reverse("pages:run", args=[target.pk])
    return reverse("pages:run", args=[target.run_id])
