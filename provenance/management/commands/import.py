"""`manage.py import FILE`: load a JSONL archive (manage.py export --format jsonl), all or nothing."""

from django.core.management.base import BaseCommand, CommandError

from provenance.exports.loader import ArchiveError, load


class Command(BaseCommand):
    help = "Import a JSONL archive: every hash is recomputed; a refused line leaves nothing behind."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, file, **options):
        try:
            with open(file, "rb") as lines:
                report = load(lines)
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}") from None
        except ArchiveError as error:
            raise CommandError(f"{file}: {error}; nothing was imported") from None
        added = ", ".join(f"{n} {kind}" for kind, n in sorted(report.added.items())) or "nothing new"
        self.stdout.write(f"imported {added}; {report.present} record(s) were here already")
        for name, seq, head in report.heads:
            self.stdout.write(f"{name:<12} seq {seq:<7} {head}   (check: manage.py verify --run {name[4:]})")
