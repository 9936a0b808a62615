"""`manage.py reevaluate RUN`: score every stored candidate again and report any result that differs.

Scores are made by the run's objective (evolution.objective), which the report names; one that uses wall time
cannot be reproduced, so then everything but the scores is compared, and the report says so."""

import json

from django.core.management.base import BaseCommand, CommandError

from evolution import objective
from evolution.evaluation import refused, run_limits
from evolution.imported import beside_theirs, from_another_tool
from evolution.problem_choice import problems_named
from evolution.scoring import ProblemVerdict, score_program
from provenance.models import Candidate, Evaluation, Run


class Command(BaseCommand):
    help = "Re-score every candidate of a run through the sandbox and solver; exit 1 if any result differs."

    def add_arguments(self, parser):
        parser.add_argument("run", type=int)
        parser.add_argument("--json", action="store_true")
        parser.add_argument("--record", action="store_true",
                            help="a run imported from another tool: record our scores of its rules")

    def handle(self, *args, run: int, json: bool = False, record: bool = False, **options):
        found = Run.objects.filter(pk=run).first()
        if found is None:
            raise CommandError(f"no run {run}")
        tool = from_another_tool(found)
        if tool is not None and not found.family:
            raise CommandError(f"run {run} was imported from {tool} without --family: our solver does not "
                               "know what its rules are for (import-run … --family F --problem P)")
        limits, scored_by = run_limits(found), objective.of_run(found)
        differences, checked = [], 0
        stored = Evaluation.objects.filter(run=found).select_related("candidate").order_by("candidate", "seq")
        by_candidate: dict[int, list[Evaluation]] = {}
        for evaluation in stored:
            by_candidate.setdefault(evaluation.candidate_id, []).append(evaluation)
        for evaluations in by_candidate.values():
            candidate = evaluations[0].candidate
            # As it was evaluated: on the problems it has results for (a person's choice, the run's held-out
            # problems where it could be final); a completion refused before it could run is refused again.
            problems = problems_named(found, [e.problem for e in evaluations])
            again = refused(candidate, problems)
            if again is None:
                again = score_program(candidate.source, problems, limits, objective=scored_by)
            checked += 1
            before = [_unless_timed(_comparable(e), scored_by) for e in evaluations]
            after = [_unless_timed(v.comparable(), scored_by) for v in again]
            if before != after:
                differences.append({"candidate": candidate.pk, "stored": before, "now": after})
        report = {"run": found.pk, "objective": scored_by.text, "scores_compared": scored_by.reproducible,
                  "candidates": checked, "differences": differences}
        if tool is not None:  # never scored here: ours beside the tool's own
            unscored = Candidate.objects.filter(run=found).exclude(pk__in=by_candidate).order_by("seq")
            report["beside"] = beside_theirs(found, unscored, record=record)
        if json:
            self.stdout.write(_dumps(report))
        else:
            for d in differences:
                self.stdout.write(f"candidate {d['candidate']}: stored {d['stored']} now {d['now']}")
            for row in report.get("beside", []):
                self.stdout.write(_beside(tool, row))
            compared = "" if scored_by.reproducible else "; scores not compared: it uses wall time"
            self.stdout.write(f"run {found.pk}: {checked} candidates re-scored, {len(differences)} differ "
                              f"(objective {scored_by.text}{compared})")
        if differences:
            raise CommandError(f"{len(differences)} candidate(s) scored differently", returncode=1)


def _comparable(e: Evaluation) -> tuple:
    return ProblemVerdict(
        e.problem, e.verdict, score=e.score, seeds=e.seeds, equations=e.equations,
        independent_equations=e.independent_equations, masters=e.masters, unreduced=e.unreduced,
        failure=e.failure,
    ).comparable()


def _unless_timed(comparable: tuple, scored_by: objective.Objective) -> tuple:
    """What is compared: all of it, but the score where the objective is wall time (never the same twice)."""
    return comparable if scored_by.reproducible else (*comparable[:2], None, *comparable[3:])


def _beside(tool: str, row: dict) -> str:
    theirs = ", ".join(f"{name} {value:g}" for name, value in row["theirs"].items()) or "no score"
    if row["ours"] is None:
        return f"candidate {row['candidate']}: {theirs} | ours: not a keep(seed) rule"
    ours = ", ".join(f"{v['problem']} {v['verdict']}" + ("" if v["seeds"] is None else f" {v['seeds']} seeds")
                     for v in row["ours"])
    return f"candidate {row['candidate']}: {theirs} | ours: {ours}"


def _dumps(value) -> str:
    return json.dumps(value, default=list)
