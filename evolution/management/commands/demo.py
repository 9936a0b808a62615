"""`manage.py demo`: the short GP evolution that `make run` shows, run once (a finished demo is kept), and a
local account to look at it with."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand

from evolution.models import RunState
from provenance.models import Membership, Project, Run

PROJECT = "demo"
TITLE = "Demo: GP from the Laporta rule on the two-loop triangle-box (rank3)"
USER = "demo"


class Command(BaseCommand):
    help = "Run a short GP evolution on trianglebox/rank3 into the 'demo' project, unless one has finished."

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=float, default=2.0)
        parser.add_argument("--again", action="store_true", help="run another demo even if one finished")

    def handle(self, *args, minutes: float, again: bool, **options):
        project, _ = Project.objects.get_or_create(slug=PROJECT, defaults={"name": "Demo"})
        password = self._account(project)
        finished = Run.objects.filter(project=project, state__status=RunState.Status.FINISHED).first()
        if finished and not again:
            self.stdout.write(f"demo run {finished.pk} is there already (manage.py demo --again for another)")
        else:
            self.stdout.write(f"demo: evolving seeding rules for {minutes:g} minutes (trianglebox, rank3) …")
            call_command("evolve", family="trianglebox", problem="rank3", engine="gp", budget=100_000,
                         minutes=minutes, workers=1, project=PROJECT, title=TITLE, seed=0)
        where = settings.VAR_DIR / "demo_password"
        self.stdout.write(f"log in as '{USER}' with password '{password}' (kept in {where})")

    def _account(self, project) -> str:
        """A local owner account for the demo project; its password is generated once into var/."""
        path = settings.VAR_DIR / "demo_password"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(12))
            path.chmod(0o600)
        password = path.read_text().strip()
        user, _ = get_user_model().objects.get_or_create(username=USER)
        if not user.check_password(password):
            user.set_password(password)
            user.save()
        Membership.objects.get_or_create(project=project, user=user, defaults={"role": Membership.Role.OWNER})
        return password
