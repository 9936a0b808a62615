"""`manage.py evaluate`: score one rule file through exactly the sandbox + solver path of an evolution."""

import json
from dataclasses import replace
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evolution import objective
from evolution.problems import problem_set
from evolution.sandbox import Limits
from evolution.scoring import score_program, signature, total_seeds
from solver.family import FamilyError, load_family


class Command(BaseCommand):
    help = "Score a rule file (def keep(seed): ...) on a family's problems, sandboxed as in an evolution."

    def add_arguments(self, parser):
        parser.add_argument("rule_file")
        parser.add_argument("--family", required=True)
        parser.add_argument("--problem", help="problem name(s), comma-separated (default: all)")
        parser.add_argument("--cap", default="laporta", help="seed cap per problem: laporta, default or N")
        parser.add_argument("--objective", default="seeds",
                            help="score as a run with this objective does (evolution.objective; default "
                                 "seeds)")
        parser.add_argument("--rank-growth", action="store_true",
                            help="score as a run that requires rank growth does (evolution.rank_growth)")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, rule_file, family, problem, cap, json: bool = False, **options):
        try:
            scored_by = replace(objective.parse(options["objective"]), rank_growth=options["rank_growth"])
        except objective.ObjectiveError as error:
            raise CommandError(str(error)) from None
        try:
            source = Path(rule_file).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"cannot read {rule_file}: {error}") from None
        try:
            loaded = load_family(family)
            names = tuple(n.strip() for n in problem.split(",")) if problem else tuple(
                p.name for p in loaded.problems)
            for name in names:
                loaded.problem(name)
            problems = problem_set(family, names, cap)
        except (FamilyError, ValueError) as error:
            raise CommandError(str(error)) from None
        verdicts = score_program(source, problems, Limits(), objective=scored_by)
        summary = {"signature": signature(verdicts), "total_seeds": total_seeds(verdicts),
                   "problems": [v.fields() for v in verdicts]}
        if json:
            self.stdout.write(_json(summary))
            return
        self.stdout.write(f"{'problem':<10} {'verdict':<11} {'score':>8} {'seeds':>6} {'equations':>9} "
                          f"{'unreduced':>9} {'ms':>8}  failure")
        for v in verdicts:
            self.stdout.write(
                f"{v.problem:<10} {v.verdict:<11} {_cell(v.score):>8} {_cell(v.seeds):>6} "
                f"{_cell(v.equations):>9} {_cell(v.unreduced):>9} {_cell(v.seconds, 1000):>8}  {_why(v)}")
        self.stdout.write(f"signature {summary['signature']}, seeds in all: {summary['total_seeds']}")


def _why(verdict) -> str:
    """What went wrong: the failure, or why the rule was not reduced (evolution.rank_growth)."""
    return verdict.error or verdict.details.get("rank_growth", "")


def _cell(value, scale=1):
    if value is None:
        return "—"
    return f"{value * scale:.1f}" if isinstance(value, float) and scale != 1 else f"{value:g}"


def _json(value) -> str:
    return json.dumps(value)
