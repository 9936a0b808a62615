"""Who may see what. Every page and JSON endpoint reaches its records through these functions.

A member of a project sees it with their role; a referee holding an active reviewer link sees one run,
read-only. Anyone else gets a 404 (a record of another project does not exist for them), and an anonymous
visitor without a link is sent to the login page.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from provenance.models import Candidate, Membership, Project, ReviewerLink, Run

REVIEWER = "reviewer"
WRITERS = {Membership.Role.OWNER, Membership.Role.EDITOR}
SESSION_KEY = "reviewer_links"  # ids of the links this browser opened


class LoginRequired(Exception):
    """Raised by the access checks for an anonymous visitor; the middleware turns it into the login page."""


@dataclass(frozen=True)
class Access:
    project: Project
    role: str  # owner, editor, viewer, or reviewer

    @property
    def can_write(self) -> bool:
        return self.role in WRITERS

    @property
    def is_owner(self) -> bool:
        return self.role == Membership.Role.OWNER

    def require_write(self) -> None:
        if not self.can_write:
            raise PermissionDenied("viewers and reviewers cannot change anything")


def project_access(request, slug: str) -> Access:
    project = Project.objects.filter(slug=slug).first()
    role = _member_role(request, project)
    if role is None:
        raise refusal(request)
    return Access(project, role)


def run_access(request, run: Run) -> Access:
    """`run` with its project loaded (select_related("project"))."""
    role = _member_role(request, run.project) or _reviewer_role(request, run.pk)
    if role is None:
        raise refusal(request)
    return Access(run.project, role)


def get_run(request, run_id: int, *related: str) -> tuple[Run, Access]:
    run = Run.objects.select_related("project", *related).filter(pk=run_id).first()
    if run is None:
        raise refusal(request)
    return run, run_access(request, run)


def active_reviewer_link(link_id) -> ReviewerLink | None:
    link = ReviewerLink.objects.filter(pk=link_id, revoked=False).first()
    return link if link is not None and link.active else None


def _member_role(request, project: Project | None) -> str | None:
    if project is None or not request.user.is_authenticated:
        return None
    return (
        Membership.objects.filter(project=project, user=request.user).values_list("role", flat=True).first()
    )


def _reviewer_role(request, run_id: int) -> str | None:
    link_ids = request.session.get(SESSION_KEY, [])
    if not link_ids:
        return None
    # Checked on every request: a revoked or expired link stops working at once.
    live = ReviewerLink.objects.filter(
        pk__in=link_ids, run_id=run_id, revoked=False, expires_at__gt=timezone.now()
    )
    return REVIEWER if live.exists() else None


def refusal(request) -> Exception:
    if request.user.is_authenticated or request.session.get(SESSION_KEY):
        return Http404("no such record")
    return LoginRequired()


def get_candidate(request, pk: int, *related: str) -> tuple[Candidate, Access]:
    candidate = Candidate.objects.select_related("run__project", *related).filter(pk=pk).first()
    if candidate is None:
        raise refusal(request)
    return candidate, run_access(request, candidate.run)
