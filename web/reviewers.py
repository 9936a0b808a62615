"""Reviewer links: a signed token naming a ReviewerLink row. The signature keeps ids from being guessed; the
row (expiry, revocation) is read on every request (web.access)."""

from datetime import timedelta

from django.core import signing
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from provenance.models import ReviewerLink
from web.access import SESSION_KEY, active_reviewer_link, get_run
from web.render import page

SALT = "seedtrace.reviewer-link"
MAX_DAYS = 365
DEFAULT_DAYS = 30


def token_for(link: ReviewerLink) -> str:
    return signing.TimestampSigner(salt=SALT).sign(str(link.pk))


def link_url(request, link: ReviewerLink) -> str:
    return request.build_absolute_uri(reverse("pages:review", args=[token_for(link)]))


@require_POST
def create(request, run_id: int):
    run, access = get_run(request, run_id)
    if not access.is_owner:
        raise Http404("only a project's owners share its runs")
    try:
        days = min(max(int(request.POST.get("days", DEFAULT_DAYS)), 1), MAX_DAYS)
    except ValueError:
        days = DEFAULT_DAYS
    link = ReviewerLink.objects.create(
        run=run,
        label=request.POST.get("label", "")[:200],
        created_by=request.user,
        expires_at=timezone.now() + timedelta(days=days),
    )
    links = run.reviewer_links.all()
    context = {"run": run, "reviewer_links": links, "new_link": link_url(request, link)}
    return page(request, "pages/run_links.html", context, fragment="pages/_reviewer_links.html")


@require_POST
def revoke(request, run_id: int, link_id: int):
    run, access = get_run(request, run_id)
    if not access.is_owner:
        raise Http404("only a project's owners share its runs")
    link = get_object_or_404(ReviewerLink, pk=link_id, run=run)
    if not link.revoked:
        link.revoked, link.revoked_at = True, timezone.now()
        link.save(update_fields=["revoked", "revoked_at"])
    context = {"run": run, "reviewer_links": run.reviewer_links.all()}
    return page(request, "pages/run_links.html", context, fragment="pages/_reviewer_links.html")


def review(request, token: str):
    """Open a reviewer link: remember it in this browser's session and show the run."""
    try:
        link_id = signing.TimestampSigner(salt=SALT).unsign(token, max_age=timedelta(days=MAX_DAYS))
    except signing.BadSignature:
        raise Http404("this link is not valid") from None
    link = active_reviewer_link(link_id)
    if link is None:
        raise Http404("this link has expired or was revoked")
    opened = set(request.session.get(SESSION_KEY, []))
    request.session[SESSION_KEY] = sorted(opened | {link.pk})
    return redirect("pages:run", link.run_id)
