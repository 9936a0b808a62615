"""`manage.py held_out CANDIDATE`: score a candidate on problems its run never trained on, and record it."""

import json

from django.core.management.base import BaseCommand, CommandError

from evolution import held_out
from evolution.evaluation import refusal, run_limits
from provenance import ledger
from provenance.models import Candidate
from solver.family import FamilyError, load_family


class Command(BaseCommand):
    help = ("Score a candidate on held-out problems (the run's, or those named) and record the results as "
            "held-out evaluations of the candidate.")

    def add_arguments(self, parser):
        parser.add_argument("candidate", type=int)
        parser.add_argument("--problem", default="",
                            help="problem name(s) of the run's family, comma-separated (default: the run's "
                                 "held-out problems)")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args, candidate: int, problem: str, json: bool = False, **options):
        found = Candidate.objects.select_related("run").filter(pk=candidate).first()
        if found is None:
            raise CommandError(f"no candidate {candidate}")
        names = self._problems(found, problem)
        if refusal(found) is not None:
            raise CommandError(f"candidate {candidate} was refused before it could run: {refusal(found)}")
        verdicts = held_out.score_on(found, names, run_limits(found.run))
        with ledger.batch(found.run) as chain, chain.deferred():
            for verdict in verdicts:
                ledger.record_evaluation(found, **verdict.fields())
        rows = [{"problem": v.problem, "verdict": v.verdict, "seeds": v.seeds, "score": v.score}
                for v in verdicts]
        if json:
            self.stdout.write(_dumps({"candidate": found.pk, "held_out": rows}))
            return
        for row in rows:
            seeds = f", {row['seeds']} seeds" if row["verdict"] == "complete" else ""
            self.stdout.write(f"candidate {found.pk} on {row['problem']} (held out): {row['verdict']}{seeds}")

    def _problems(self, candidate: Candidate, given: str) -> list[str]:
        run = candidate.run
        names = [name.strip() for name in given.split(",") if name.strip()] or list(held_out.names(run))
        if not names:
            raise CommandError(f"run {run.pk} holds no problem out: name some with --problem")
        try:
            family = load_family(run.family)
            for name in names:
                family.problem(name)
        except (FamilyError, OSError, KeyError, ValueError) as error:
            raise CommandError(str(error)) from None
        trained = sorted(set(names) & set(run.problems))
        if trained:
            raise CommandError(f"the run trains on {', '.join(trained)}: a held-out problem is one it does "
                               "not")
        done = sorted(set(candidate.evaluations.values_list("problem", flat=True)) & set(names))
        if done:
            raise CommandError(f"candidate {candidate.pk} already has results on {', '.join(done)}")
        return names


def _dumps(value) -> str:
    return json.dumps(value, indent=2)
