from django.core.management.base import BaseCommand, CommandError

from provenance.models import Run
from provenance.verify import verify


class Command(BaseCommand):
    help = (
        "Recompute every record hash and every hash chain; print the chain heads, or name the first mismatch."
    )

    def add_arguments(self, parser):
        parser.add_argument("--run", type=int, help="verify only this run's chain")

    def handle(self, *args, run=None, **options):
        try:
            reports = verify(run)
        except Run.DoesNotExist:
            raise CommandError(f"no run {run}") from None
        broken = [report for report in reports if not report.intact]
        for report in reports:
            if report.intact:
                self.stdout.write(
                    f"{report.name:<12} {report.records:>7} records  seq {report.seq:<7} {report.hash}"
                )
        for report in broken[1:]:
            self.stderr.write(f"also broken: {report.mismatch}")
        if broken:
            raise CommandError(f"ledger broken at {broken[0].mismatch}")
        self.stdout.write(self.style.SUCCESS(f"{len(reports)} chain(s) intact"))
