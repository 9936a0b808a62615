"""`manage.py export CANDIDATE | --run RUN --format md|tex|jsonl|prov|crate|disclosure -o PATH`."""

from contextlib import nullcontext
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from provenance.exports import FORMATS, export
from provenance.models import Candidate, Run
from provenance.ticker import ticking


class Command(BaseCommand):
    help = "Export a candidate's ancestry (or a whole run) as a transcript, supplement, archive, PROV, crate."

    def add_arguments(self, parser):
        parser.add_argument("candidate", nargs="?", type=int, help="candidate id: its ancestry is exported")
        parser.add_argument("--run", type=int, help="export this whole run instead")
        parser.add_argument("--format", default="md", choices=sorted(FORMATS))
        parser.add_argument(
            "-o", "--output", help="file to write (default: the export's own name; - for stdout)"
        )

    def handle(self, *args, candidate=None, run=None, format="md", output=None, **options):
        if (candidate is None) == (run is None):
            raise CommandError("name a candidate, or --run RUN")
        what = f"exporting run {run}" if run is not None else f"exporting candidate {candidate}"
        # The stream under Django's wrapper, which ends every write with a newline (no rewriting in place).
        stream = getattr(self.stderr, "_out", self.stderr)
        shown = ticking(stream, f"{what} as {format}") if options.get("verbosity", 1) else nullcontext()
        try:
            with shown as ticker:  # None when quiet
                report = None if ticker is None else ticker.say
                result = export(format, candidate=candidate, run=run, report=report)
        except (Candidate.DoesNotExist, Run.DoesNotExist):
            raise CommandError(
                f"no {'candidate' if candidate is not None else 'run'} "
                f"{candidate if candidate is not None else run}"
            ) from None
        if output == "-":
            self.stdout.buffer.write(result.content) if hasattr(self.stdout, "buffer") else self.stdout.write(
                result.content.decode("utf-8"), ending=""
            )
            return
        path = Path(output or result.filename)
        path.write_bytes(result.content)
        self.stderr.write(f"wrote {path} ({len(result.content)} bytes, {result.content_type})")
