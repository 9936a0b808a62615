"""Which of an evolution's evaluations repeat their complete reductions at a second prime and point.

Repeating every complete reduction cost 7–12 % of a run's time, and almost every repeat was of a rule no
one would report. A rule whose results could be shown as final gets the repeat: the run's best (the run
page, evolution.tally: the highest headline score) and an export's final rule (provenance.exports.results:
complete on every problem with the fewest seeds, else the highest headline score). Both are guaranteed when
a rule is repeated if, at its first prime and point,

- nothing in the run has a score yet, or
- its headline score is at least the run's best so far, or
- it is complete on every problem and the run's best so far is not, or
- under a Pareto objective, no rule of the run so far dominates it (evolution.front);

for the run's best so far only grows, and a rule complete everywhere with the fewest seeds scores at least
every other rule complete everywhere. A Pareto run's results are its front (the rules complete everywhere
that no other such rule dominates, web.pareto): a rule on it was not dominated when it was scored, since
what dominates it would still be on the run's front, or be dominated by a point that is. A stale best or
front (the controller writes them as it registers results) only makes more repeats. A person's candidate
is always repeated: someone asked for that rule.
"""

from __future__ import annotations

from evolution.front import Front
from evolution.models import RunState
from evolution.objective import Objective, point
from evolution.scoring import (
    COMPLETE,
    Policy,
    ProblemVerdict,
    SecondCheck,
    always,
    headline_score,
    total_seeds,
)
from provenance.models import Evaluation

BY_A_PERSON = "a person's candidate"
FIRST = "nothing in the run had a score yet"
AT_LEAST_THE_BEST = "it scored at least the run's best so far"
ON_THE_FRONT = "no rule of the run so far dominates it"
COMPLETE_WHERE_THE_BEST_IS_NOT = "it is complete on every problem and the run's best so far is not"
BELOW = "it scored below the run's best so far, so it could not be a final result"


def policy(run_id: int, *, by_person: bool, objective: Objective | None = None) -> Policy:
    """The decision for one candidate's evaluation, made once (the run's best read once) however often the
    evaluation asks: for its second check, and for its held-out problems (evolution.held_out)."""
    if by_person:
        return always(BY_A_PERSON)
    made: list[SecondCheck] = []

    def decide(verdicts: list[ProblemVerdict]) -> SecondCheck:
        if not made:
            made.append(against_the_best(run_id, verdicts, objective))
        return made[0]

    return decide


def against_the_best(run_id: int, verdicts: list[ProblemVerdict], objective: Objective | None = None
                     ) -> SecondCheck:
    state = (RunState.objects.filter(run_id=run_id)
             .values_list("best_score", "best_candidate_id", "front").first())
    if state is None or state[0] is None:
        return SecondCheck(True, FIRST)
    score, (best_score, best_candidate, front) = headline_score(verdicts), state
    if score is not None and score >= best_score:
        return SecondCheck(True, AT_LEAST_THE_BEST)
    at = point(objective, verdicts) if objective is not None else None
    if at is not None and Front.of_stored(front, len(at)).admits(at):
        return SecondCheck(True, ON_THE_FRONT)
    if total_seeds(verdicts) is not None and not complete_everywhere(best_candidate, len(verdicts)):
        return SecondCheck(True, COMPLETE_WHERE_THE_BEST_IS_NOT)
    return SecondCheck(False, BELOW)


def complete_everywhere(candidate_id: int | None, problems: int) -> bool:
    complete = Evaluation.objects.filter(candidate_id=candidate_id, verdict=COMPLETE)
    return candidate_id is not None and complete.count() == problems
