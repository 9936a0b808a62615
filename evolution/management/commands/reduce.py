"""`manage.py reduce …` is `python -m solver reduce …`: the solver owns its options and output."""

import sys

from django.core.management.base import BaseCommand, CommandError

from solver.cli import main


class Command(BaseCommand):
    help = "Reduce a family's targets with a seeding rule, or list its masters. Options: see --help."

    def run_from_argv(self, argv):
        # Hand every option to the solver's own parser, --help included.
        sys.exit(main(["reduce", *argv[2:]]))

    def add_arguments(self, parser):
        parser.add_argument("solver_args", nargs="*")

    def handle(self, *args, solver_args=(), **options):
        code = main(["reduce", *solver_args, *args])
        if code:
            raise CommandError(f"reduce exited with status {code}", returncode=code)
