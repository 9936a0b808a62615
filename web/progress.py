"""A run's progress read back from its evaluations: the best score after each evaluated candidate (overall
and per island), and what each agent produced."""

from dataclasses import dataclass, field
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import Count

from evolution.tally import RunTally
from provenance.models import Candidate, Evaluation, Run
from web.labels import agent_label

REPLAY_KEPT = 3600  # seconds a run's replay stays cached after its last change


class Mark(NamedTuple):
    """A series' new best: after how many evaluations, its headline score, its seeds over all problems when
    complete on every one (None: incomplete, the score is a penalty), and the candidate."""

    evaluated: int
    score: float
    seeds: int | None
    candidate: int


@dataclass
class ScoreHistory:
    """The best score as the run went on: overall, per island, and the candidates that raised it."""

    best: list[tuple[int, float]] = field(default_factory=list)  # (candidates evaluated, best so far)
    islands: dict[int, list[tuple[int, float]]] = field(default_factory=dict)
    improvements: list[int] = field(default_factory=list)  # candidates that raised the best when scored
    evaluated: int = 0
    # Each improvement of each series ("best", "island 2", "agent GP mutation"), with what the plot shows.
    marks: dict[str, list[Mark]] = field(default_factory=dict)


class Verdict(NamedTuple):
    """An evaluation as the tally reads it (evolution.tally), and no more of it."""

    verdict: str
    score: float | None
    seeds: int | None


def progress(run: Run) -> ScoreHistory:
    """The run's tally (evolution.tally) replayed over its candidates, in the order they were evaluated.

    The replay is kept in the cache and goes on from the last evaluation it read: records are appended in
    the order of their step numbers and never change, so a page polled while a run writes reads only what
    is new (the whole replay cost 70 ms at 4,000 candidates, on every request). Keyed by the run's hash,
    which no other run has."""
    key = f"score-history-2:{run.hash}"  # 2: with the marks of each series
    replay = cache.get(key) or Replay(wanted=len(run.problems))
    if replay.read(run):
        cache.set(key, replay, timeout=REPLAY_KEPT)
    return replay.history


@dataclass
class Replay:
    wanted: int  # evaluations a candidate has when it is evaluated: one a problem
    last_seq: int = 0
    tally: RunTally = field(default_factory=RunTally)
    on_islands: dict[int, RunTally] = field(default_factory=dict)
    by_agents: dict[str, RunTally] = field(default_factory=dict)
    waiting: dict[int, list[Verdict]] = field(default_factory=dict)  # candidates with problems to go
    history: ScoreHistory = field(default_factory=ScoreHistory)

    def read(self, run: Run) -> bool:
        """Count the evaluations recorded since the last read; whether there were any."""
        before = self.last_seq
        # On the run's problems only: a person may have had their edit evaluated on others of the family
        # too (evolution.problem_choice); those are beside its score in the run, not part of it.
        new = Evaluation.objects.filter(run=run, seq__gt=self.last_seq, problem__in=run.problems)
        rows = (new.order_by("seq")
                .values_list("seq", "candidate_id", "candidate__island", "candidate__agent__name",
                             *Verdict._fields))
        for seq, candidate_id, island, agent, *fields in rows.iterator(chunk_size=2000):
            self.last_seq = seq
            verdicts = self.waiting.setdefault(candidate_id, [])
            verdicts.append(Verdict(*fields))
            if len(verdicts) == self.wanted:
                verdicts = self.waiting.pop(candidate_id)
                self._count(candidate_id, island, verdicts)
                self._mark(f"agent {agent_label(agent)}", self.by_agents, candidate_id, verdicts)
        return self.last_seq != before

    def _count(self, candidate_id: int, island: int | None, verdicts: list[Verdict]) -> None:
        result, tally = self.history, self.tally
        first = tally.best is None
        score = tally.count(candidate_id, verdicts)
        result.evaluated = tally.evaluations
        if tally.led_by(candidate_id):
            if not first:
                result.improvements.append(candidate_id)
            result.best.append((tally.evaluations, score))
            self._note("best", tally, candidate_id)
        if score is not None and island is not None:
            on_island = self.on_islands.setdefault(island, RunTally())
            on_island.count(candidate_id, verdicts)
            if on_island.led_by(candidate_id):
                result.islands.setdefault(island, []).append((tally.evaluations, score))
                self._note(f"island {island}", on_island, candidate_id)

    def _mark(self, series: str, tallies: dict[str, RunTally], candidate_id: int, verdicts) -> None:
        tally = tallies.setdefault(series, RunTally())
        tally.count(candidate_id, verdicts)
        if tally.led_by(candidate_id):
            self._note(series, tally, candidate_id)

    def _note(self, series: str, tally: RunTally, candidate_id: int) -> None:
        best = tally.best
        mark = Mark(self.tally.evaluations, best.score, best.seeds, candidate_id)
        self.history.marks.setdefault(series, []).append(mark)


def agent_table(run: Run, improvements: list[int]) -> list[dict]:
    """Per agent: candidates produced, and how many of them raised the run's best score."""
    improved = Candidate.objects.filter(pk__in=improvements).values("agent").annotate(n=Count("id"))
    improved = {row["agent"]: row["n"] for row in improved}
    rows = (
        Candidate.objects.filter(run=run)
        .values("agent", "agent__kind", "agent__name")
        .annotate(produced=Count("id"))
        .order_by("-produced", "agent__name")
    )
    return [
        {
            "kind": row["agent__kind"],
            "name": row["agent__name"],
            "produced": row["produced"],
            "improvements": improved.get(row["agent"], 0),
        }
        for row in rows
    ]
