"""`manage.py import-run openevolve|shinka PATH --project SLUG --user USERNAME`: another tool's run as a new
run of a project that user owns; all or nothing; the same files twice add nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from provenance.exports.loader import ImportRefused
from provenance.management.importing import add_target_arguments, importer_and_project
from provenance.sources import READERS, SourceError, bring_in


class Command(BaseCommand):
    help = (
        "Bring an OpenEvolve run (its output or checkpoints directory) or a ShinkaEvolve run (its results "
        "directory or program database) into the record as a new run of a project you own."
    )

    def add_arguments(self, parser):
        parser.add_argument("tool", choices=sorted(READERS))
        parser.add_argument("path")
        add_target_arguments(parser)
        parser.add_argument(
            "--tool-version", default="", help="the tool's version, which its files do not say"
        )
        parser.add_argument("--family", default="", help="the family its keep(seed) rules were evolved for")
        parser.add_argument("--problem", default="", help="comma-separated problems of that family")

    def handle(self, *args, tool, path, project, user, tool_version, family, problem, **options):
        importer, target = importer_and_project(user, project)
        problems = [p for p in problem.split(",") if p]
        if bool(family) != bool(problems):
            raise CommandError("--family and --problem go together; nothing was imported")
        try:
            report = bring_in(
                tool,
                Path(path),
                project=target,
                user=importer,
                version=tool_version,
                family=family,
                problems=problems,
            )
        except ImportRefused as error:
            raise CommandError(f"{error}; nothing was imported") from None
        except SourceError as error:
            raise CommandError(f"{path}: {error}; nothing was imported") from None
        run = report.run
        if report.earlier is not None:
            self.stdout.write(
                f"these files were imported before, as run {run.pk} by "
                f"{report.earlier.imported_by.get_username()}: nothing added"
            )
            return
        added = ", ".join(f"{n} {kind}" for kind, n in sorted(report.added.items()))
        self.stdout.write(
            f"imported {tool} run {Path(path).name} as run {run.pk} in project {target.slug}: {added}"
        )
        for gap in report.missing:
            self.stdout.write(f"not in the source: {gap}")
        self.stdout.write(f"check: manage.py verify --run {run.pk}")
