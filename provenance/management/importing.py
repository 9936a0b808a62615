"""What both import commands (`import`, `import-run`) ask first: who imports, into which project."""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from provenance.models import Project


def add_target_arguments(parser) -> None:
    parser.add_argument("--project", required=True, help="slug of the project the new run goes into")
    parser.add_argument("--user", required=True, help="username of the importer, an owner of the project")


def importer_and_project(user: str, project: str):
    """The importing user and the target project, or a CommandError saying which is not here."""
    importer = get_user_model().objects.filter(**{get_user_model().USERNAME_FIELD: user}).first()
    if importer is None:
        raise CommandError(f"no user {user!r} here; nothing was imported")
    target = Project.objects.filter(slug=project).first()
    if target is None:
        raise CommandError(f"no project {project!r} here; nothing was imported")
    return importer, target
