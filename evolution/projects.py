"""Which project a run started from the command line goes into: one its person can see.

`--project SLUG` names it (created, owned by `--user`, when it does not exist yet); without it, the
person's only project they may write to, or a new one named after them when they have none. With neither a
person nor a project, the run goes into the shared project "default", which nobody belongs to until an
owner is added: the command says so.
"""

from dataclasses import dataclass

from django.utils.text import slugify

from provenance.models import Membership, Project

FALLBACK = "default"
WRITERS = (Membership.Role.OWNER, Membership.Role.EDITOR)


class NoProject(Exception):
    """The project cannot be chosen for the person: the message says why and what to give instead."""


@dataclass(frozen=True)
class Chosen:
    project: Project
    created: bool
    notice: str = ""  # what the person should know about the choice ("" when nothing)


def project_for_run(slug: str | None, user) -> Chosen:
    if slug:
        return _named(slug, user)
    if user is None:
        project, created = Project.objects.get_or_create(slug=FALLBACK, defaults={"name": FALLBACK})
        return Chosen(project, created, _nobody_notice(project))
    writable = list(Project.objects.filter(memberships__user=user, memberships__role__in=WRITERS)
                    .order_by("slug"))
    if len(writable) == 1:
        return Chosen(writable[0], False)
    if writable:
        names = ", ".join(p.slug for p in writable)
        raise NoProject(f"{user.get_username()} may write to several projects ({names}): "
                        "name one with --project")
    return _named(_free_slug(slugify(user.get_username()) or "runs"), user)


def _named(slug: str, user) -> Chosen:
    if slug != slugify(slug):
        raise NoProject(f"--project {slug!r} is not a slug (letters, digits, - and _)")
    project = Project.objects.filter(slug=slug).first()
    if project is None:
        project = Project.objects.create(slug=slug, name=slug)
        if user is None:
            return Chosen(project, True, _nobody_notice(project))
        Membership.objects.create(project=project, user=user, role=Membership.Role.OWNER)
        return Chosen(project, True, f"created project {slug!r}, owned by {user.get_username()}")
    if user is not None and project.role_of(user) not in WRITERS:
        raise NoProject(f"{user.get_username()} is not an owner or editor of project {slug!r}")
    notice = _nobody_notice(project) if not project.memberships.exists() else ""
    return Chosen(project, False, notice)


def _free_slug(base: str) -> str:
    slug, n = base, 1
    while Project.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _nobody_notice(project: Project) -> str:
    return (f"project {project.slug!r} has no members, so its runs show on nobody's pages: give --user, or "
            f"add people to it at /admin/")
