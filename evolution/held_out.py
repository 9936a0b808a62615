"""Held-out problems: problems of the run's family that the search never trains on, scored only for the rules
that could be its result, to show how those rules do on integrals they were not bred for.

A run names them (EvolutionConfig.held_out, `evolve --held-out`). A candidate is scored on them in the same
job as on the run's problems when it could be a final result (evolution.second_check: it scored at least the
run's best so far, or a person wrote it), or on request (`manage.py held-out`). Each held-out result is an
Evaluation like any other, marked details["held_out"]; it is never part of the candidate's score in the run
(evolution.problem_choice.on_the_run reads the run's problems only), and its complete reductions are
repeated at a second prime and point, as any result that is reported.
"""

from __future__ import annotations

from dataclasses import replace

from evolution import objective
from evolution.problem_choice import problems_named
from evolution.sandbox import Limits
from evolution.scoring import Policy, ProblemVerdict, always, headline_score, score_program
from provenance.models import Candidate, Run

MARK = "held_out"
CHECKED = always("a held-out result is reported")


def names(run: Run) -> tuple[str, ...]:
    return tuple(run.config.get("held_out") or ())


def is_held_out(evaluation) -> bool:
    return bool((getattr(evaluation, "details", None) or {}).get(MARK))


def scored(candidate: Candidate, verdicts: list[ProblemVerdict], policy: Policy, limits: Limits
           ) -> list[ProblemVerdict]:
    """The candidate's held-out verdicts, when its verdicts on the run's problems make it a rule that could
    be final; none otherwise (or when the run holds nothing out)."""
    run = candidate.run
    wanted = [name for name in names(run) if name not in {v.problem for v in verdicts}]
    if not wanted or headline_score(verdicts) is None or not policy(verdicts).made:
        return []
    return score_on(candidate, wanted, limits)


def score_on(candidate: Candidate, problems: list[str], limits: Limits) -> list[ProblemVerdict]:
    """The candidate scored on `problems` of its run's family, each verdict marked held out."""
    run = candidate.run
    # Held out, a rule is reduced whatever the run required of it in training: what it does there is the
    # measure.
    held = score_program(candidate.source, problems_named(run, problems), limits, CHECKED,
                         replace(objective.of_run(run), rank_growth=False))
    for verdict in held:
        verdict.details[MARK] = True
    return held
