"""A run's progress read back from its evaluations: the best score after each evaluated candidate (overall
and per island), and what each agent produced. One query over the run's evaluations, one over its
candidates: fine for the live page at 10,000 candidates."""

from dataclasses import dataclass, field

from django.db.models import Count

from provenance.models import Candidate, Evaluation, Run


@dataclass
class Progress:
    best: list[tuple[int, float]] = field(default_factory=list)  # (candidates evaluated, best so far)
    islands: dict[int, list[tuple[int, float]]] = field(default_factory=dict)
    improvements: list[int] = field(default_factory=list)  # candidates that raised the best when scored
    evaluated: int = 0


def progress(run: Run) -> Progress:
    """Headline score = sum over the run's problems; a failed problem leaves the candidate unscored."""
    wanted = len(run.problems)
    seen: dict[int, list] = {}
    island_of = dict(Candidate.objects.filter(run=run).values_list("id", "island"))
    result, island_best = Progress(), {}
    rows = Evaluation.objects.filter(run=run).order_by("seq").values_list("candidate_id", "score")
    for candidate_id, score in rows:
        scores = seen.setdefault(candidate_id, [])
        scores.append(score)
        if len(scores) != wanted:
            continue
        result.evaluated += 1
        if any(s is None for s in scores):
            continue
        total = sum(scores)
        if not result.best or total > result.best[-1][1]:
            if result.best:
                result.improvements.append(candidate_id)
            result.best.append((result.evaluated, total))
        island = island_of.get(candidate_id)
        if island is not None and total > island_best.get(island, float("-inf")):
            island_best[island] = total
            result.islands.setdefault(island, []).append((result.evaluated, total))
    return result


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
