"""Which problems a candidate is evaluated on: its run's, or, for a person's edit, those the person ticked
(the run's problems, some of them, and other problems of the run's family), kept in the candidate's params
as `problems` (hashed with it) only when they differ from the run's.

A candidate competes in its run (the program database, the run's counters and best, the progress plot) with
its evaluations on the run's problems, in the run's order: an edit evaluated on further problems of the
family competes as any other candidate, its other evaluations beside; one that left out some of the run's
problems has no score comparable with the others' and is scored apart (its page shows its evaluations).
"""

from __future__ import annotations

import functools

from evolution.problems import ProblemSet, problem_set
from provenance.models import Activity, Candidate, Run
from solver.family import FamilyError, load_family

BY_PEOPLE = (Activity.HUMAN, Activity.HUMAN_EDIT)


def problems_named(run: Run, names) -> ProblemSet:
    return problem_set(run.family, tuple(names), str(run.config.get("cap", "laporta")))


def chosen(candidate: Candidate) -> list[str] | None:
    """The problems a person chose for their candidate, or None: the run's."""
    names = (candidate.params or {}).get("problems")
    return list(names) if candidate.activity in BY_PEOPLE and names else None


def scored_on(run: Run, candidate: Candidate) -> ProblemSet:
    """The problems `candidate` (of `run`) is evaluated on."""
    return problems_named(run, chosen(candidate) or run.problems)


def on_the_run(evaluations: list, problems) -> list | None:
    """The evaluations (records or verdicts) a candidate competes in its run with: those on the run's
    `problems`, in their order; None when one of them is missing (a person left it out)."""
    if [e.problem for e in evaluations] == list(problems):
        return evaluations  # every candidate but a person's choice
    found = {e.problem: e for e in evaluations}
    if not all(name in found for name in problems):
        return None
    return [found[name] for name in problems]


@functools.cache  # as problem_set: a family file is read once per process
def family_problems(family: str) -> tuple[str, ...]:
    """The names of the family's problems; none for a family this server cannot read (an imported run's)."""
    try:
        return tuple(problem.name for problem in load_family(family).problems)
    except (FamilyError, OSError):
        return ()
