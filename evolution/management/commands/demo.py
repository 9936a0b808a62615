"""`manage.py demo`: the short GP evolution that `make run` shows, run once (a finished demo is kept)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from provenance.models import Run, RunState

PROJECT = "demo"
TITLE = "Demo: GP from the Laporta rule on the two-loop triangle-box (rank3)"


class Command(BaseCommand):
    help = "Run a short GP evolution on trianglebox/rank3 into the 'demo' project, unless one has finished."

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=float, default=2.0)
        parser.add_argument("--again", action="store_true", help="run another demo even if one finished")

    def handle(self, *args, minutes: float, again: bool, **options):
        finished = Run.objects.filter(project__slug=PROJECT, state__status=RunState.Status.FINISHED).first()
        if finished and not again:
            self.stdout.write(f"demo run {finished.pk} is there already (manage.py demo --again for another)")
            return
        self.stdout.write(f"demo: evolving seeding rules for {minutes:g} minutes (trianglebox, rank3) …")
        call_command("evolve", family="trianglebox", problem="rank3", engine="gp", budget=100_000,
                     minutes=minutes, workers=1, project=PROJECT, title=TITLE, seed=0)
