"""A run's progress read back from its evaluations: the best score after each evaluated candidate (overall
and per island), and what each agent produced. One query over the run's evaluations, one over its
candidates: fine for the live page at 10,000 candidates."""

from dataclasses import dataclass, field
from typing import NamedTuple

from django.db.models import Count

from evolution.tally import RunTally
from provenance.models import Candidate, Evaluation, Run


@dataclass
class ScoreHistory:
    """The best score as the run went on: overall, per island, and the candidates that raised it."""

    best: list[tuple[int, float]] = field(default_factory=list)  # (candidates evaluated, best so far)
    islands: dict[int, list[tuple[int, float]]] = field(default_factory=dict)
    improvements: list[int] = field(default_factory=list)  # candidates that raised the best when scored
    evaluated: int = 0


class Verdict(NamedTuple):
    """An evaluation as the tally reads it (evolution.tally), and no more of it."""

    verdict: str
    score: float | None
    seeds: int | None


def progress(run: Run) -> ScoreHistory:
    """The run's tally (evolution.tally) replayed over its candidates, in the order they were evaluated."""
    island_of = dict(Candidate.objects.filter(run=run).values_list("id", "island"))
    result, tally, on_islands = ScoreHistory(), RunTally(), {}
    for candidate_id, verdicts in evaluated(run):
        first = tally.best is None
        score = tally.count(candidate_id, verdicts)
        result.evaluated = tally.evaluations
        if tally.led_by(candidate_id):
            if not first:
                result.improvements.append(candidate_id)
            result.best.append((tally.evaluations, score))
        island = island_of.get(candidate_id)
        if score is not None and island is not None:
            on_island = on_islands.setdefault(island, RunTally())
            on_island.count(candidate_id, verdicts)
            if on_island.led_by(candidate_id):
                result.islands.setdefault(island, []).append((tally.evaluations, score))
    return result


def evaluated(run: Run):
    """(candidate, its verdicts) in the order the candidates were evaluated: once every one of the run's
    problems has its evaluation."""
    wanted, seen = len(run.problems), {}
    rows = Evaluation.objects.filter(run=run).order_by("seq").values_list("candidate_id", *Verdict._fields)
    for candidate_id, *fields in rows:
        verdicts = seen.setdefault(candidate_id, [])
        verdicts.append(Verdict(*fields))
        if len(verdicts) == wanted:
            yield candidate_id, verdicts


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
