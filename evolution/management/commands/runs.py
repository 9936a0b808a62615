"""`manage.py runs [RUN …]`: each run's status and progress, and whether its controller is alive."""

from django.core.management.base import BaseCommand, CommandError

from evolution.runs import controller_of, state_of
from provenance.models import Run


class Command(BaseCommand):
    help = "Show runs (all, or the ones given): status, progress, and a running run's controller."

    def add_arguments(self, parser):
        parser.add_argument("runs", nargs="*", type=int, metavar="RUN")
        parser.add_argument("--project", help="only this project's runs (a slug)")

    def handle(self, *args, runs=(), project=None, **options):
        found = Run.objects.select_related("state", "project").order_by("id")
        if project:
            found = found.filter(project__slug=project)
        if runs:
            found = found.filter(pk__in=runs)
            missing = sorted(set(runs) - {run.pk for run in found})
            if missing:
                raise CommandError(f"no run {', '.join(map(str, missing))}")
        for run in found:
            self.stdout.write(describe(run))


def describe(run: Run) -> str:
    state = state_of(run)
    budget = run.config.get("budget", "?") if isinstance(run.config, dict) else "?"
    best = "–" if state.best_score is None else f"{state.best_score:g}"
    line = (f"run {run.pk} ({run.project.slug}, {run.engine}): {state.status}, {state.candidates}/{budget} "
            f"candidates, {state.evaluations} evaluated, {state.failures} failed, "
            f"{state.in_flight} in flight, best {best}")
    controller = controller_of(state)
    if controller is not None and controller.lost:
        line += f"; {controller.message}"
    elif controller is not None:
        line += f"; controller {controller.name or '?'} heard from {controller.ago}"
    elif state.message:
        line += f"; {state.message}"
    return line
