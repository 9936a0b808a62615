"""A run's tally: candidates proposed, evaluated and failed, and its best rule so far.

One rule for every place that counts: the controller as it goes (and on resume, from the records), a
person's candidate evaluated after its run ended (added to the state row in the database), and the run
page's progress read back from the evaluations. A candidate is a failure when it failed on some problem
(it has no headline score); the best is the highest headline score, the first to reach it kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from evolution import objective as objectives
from evolution.front import Front
from evolution.scoring import headline_score, total_seeds

COUNTS = ("candidates", "evaluations", "failures")  # the state row's columns of the same names


@dataclass(frozen=True)
class Best:
    score: float  # headline score
    candidate: int
    seeds: int | None = None  # over all problems, where complete on every one


@dataclass
class RunTally:
    candidates: int = 0  # proposed: the budget counts these
    evaluations: int = 0  # evaluated, failed or not
    failures: int = 0
    best: Best | None = None
    # Under a Pareto objective the run's results are a set: the tally keeps its front (evolution.front).
    objective: objectives.Objective | None = None
    front: Front = field(default_factory=Front)

    @property
    def pareto(self) -> bool:
        return self.objective is not None and self.objective.pareto

    @classmethod
    def of_one(cls, candidate: int, verdicts, objective: objectives.Objective | None = None) -> RunTally:
        """One more candidate, evaluated: what it adds to a run's tally."""
        tally = cls(candidates=1, objective=objective)
        tally.count(candidate, verdicts)
        return tally

    def count(self, candidate: int, verdicts) -> float | None:
        """A candidate evaluated (its verdicts or Evaluation records, one a problem): its headline score,
        None when it failed."""
        self.evaluations += 1
        score = headline_score(verdicts)
        if score is None:
            self.failures += 1
        elif self.beaten_by(score):
            self.best = Best(score, candidate, total_seeds(verdicts))
        if score is not None and self.pareto:
            point = objectives.point(self.objective, verdicts)
            if point is not None:
                self.front.add(point)
        return score

    def beaten_by(self, score: float) -> bool:
        return self.best is None or score > self.best.score

    def led_by(self, candidate: int) -> bool:
        return self.best is not None and self.best.candidate == candidate

    def counters(self) -> dict:
        """As the state row's columns; the best only once there is one (never written back to none)."""
        counts = {name: getattr(self, name) for name in COUNTS}
        if self.pareto:
            counts["front"] = self.front.stored()
        if self.best is None:
            return counts
        return {**counts, "best_score": self.best.score, "best_candidate_id": self.best.candidate}

    def add_to(self, states) -> None:
        """Add these counts to the state rows (a queryset) in the database, and the best where it beats
        theirs: one conditional UPDATE each, so workers adding at once all count."""
        states.update(**{name: F(name) + getattr(self, name) for name in COUNTS}, updated_at=timezone.now())
        if self.pareto:
            self._add_front_to(states)
        if self.best is not None:
            beaten = Q(best_score__isnull=True) | Q(best_score__lt=self.best.score)
            states.filter(beaten).update(best_score=self.best.score, best_candidate_id=self.best.candidate)

    def _add_front_to(self, states) -> None:
        width = len(self.objective.terms)
        with transaction.atomic():
            for state in states.select_for_update().only("pk", "front"):
                front = Front.of_stored(state.front, width)
                for point in self.front.points:
                    front.add(point)
                states.filter(pk=state.pk).update(front=front.stored())
