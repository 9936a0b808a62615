"""`manage.py seeds`: the seeds a rule selects for one problem, in Kira's or FIRE's notation, so a reducer can
run on exactly them (README: "Seeds for a reducer")."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evolution.problems import problem_set
from evolution.sandbox import Limits, run
from provenance.models import Candidate
from solver.literature import KIRA3, KIRA3_FLOORED, LAPORTA
from solver.seedlist import fire, kira

LITERATURE = {rule.name: rule for rule in (LAPORTA, KIRA3, KIRA3_FLOORED)}


class Command(BaseCommand):
    help = (
        "Write the seeds a rule (a candidate's or the literature's) selects for a problem, for Kira or FIRE."
    )

    def add_arguments(self, parser):
        rule = parser.add_mutually_exclusive_group(required=True)
        rule.add_argument("--candidate", type=int, help="a candidate's rule (its run's family)")
        rule.add_argument("--rule", choices=sorted(LITERATURE), help="a literature rule (needs --family)")
        parser.add_argument("--family", help="family (default: the candidate's run's)")
        parser.add_argument("--problem", required=True)
        parser.add_argument("--format", choices=["kira", "fire"], default="kira")
        parser.add_argument("--output", help="file to write (default: stdout)")

    def handle(self, *args, candidate, rule, family, problem, format, output, **options):
        source, family = self._rule(candidate, rule, family)
        try:
            context = problem_set(family, (problem,)).problems[0]
        except (ValueError, LookupError) as error:
            raise CommandError(str(error)) from None
        # The rule runs in the sandbox exactly as when it was scored: a candidate's code is untrusted.
        outcome = run(source, context.table, Limits())
        if not outcome.ok:
            raise CommandError(f"the rule did not run: {outcome.failure}: {outcome.reason}")
        seeds = context.pool.indices[outcome.selection]
        text = kira(family, seeds) if format == "kira" else fire(seeds)
        if output:
            Path(output).write_text(text, encoding="ascii")
            self.stderr.write(f"{len(seeds)} seeds of {family} {problem} written to {output}")
        else:
            self.stdout.write(text, ending="")

    def _rule(self, candidate: int | None, rule: str | None, family: str | None) -> tuple[str, str]:
        if rule is not None:
            if not family:
                raise CommandError("--rule needs --family")
            return LITERATURE[rule].source, family
        found = Candidate.objects.select_related("run").filter(pk=candidate).first()
        if found is None:
            raise CommandError(f"no candidate {candidate}")
        return found.source, family or found.run.family
