"""`manage.py import FILE --project SLUG --user USERNAME`: a JSONL archive (manage.py export --format jsonl)
as new runs of a project that user owns; all or nothing."""

import os

from django.core.management.base import BaseCommand, CommandError

from provenance.exports.loader import ArchiveError, ImportRefused, load
from provenance.management.importing import add_target_arguments, importer_and_project


class Command(BaseCommand):
    help = (
        "Import a JSONL archive as a new run of a project you own: every hash and chain is checked first; "
        "authors become imported names; a refused line leaves nothing behind."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        add_target_arguments(parser)

    def handle(self, *args, file, project, user, **options):
        importer, target = importer_and_project(user, project)
        try:
            with open(file, "rb") as lines:
                report = load(lines, project=target, user=importer, name=os.path.basename(file))
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}") from None
        except ImportRefused as error:
            raise CommandError(f"{error}; nothing was imported") from None
        except ArchiveError as error:
            raise CommandError(f"{file}: {error}; nothing was imported") from None
        self.report(report, target)

    def report(self, report, project) -> None:
        for earlier in report.earlier:
            by, when = earlier.imported_by.get_username(), f"{earlier.imported_at:%Y-%m-%d %H:%M}"
            self.stdout.write(
                f"note: this archive (sha256 {report.sha256[:12]}…) was imported before, as run "
                f"{earlier.run_id} by {by} on {when}; this import is a new, independent run"
            )
        for (archived, run), (name, seq, head) in zip(report.runs.items(), report.heads, strict=True):
            self.stdout.write(
                f"imported archived run {archived} as run {run.pk} in project {project.slug} "
                f"({report.records} archived records, sha256 {report.sha256})"
            )
            self.stdout.write(f"{name:<12} seq {seq:<7} {head}   (check: manage.py verify --run {run.pk})")
