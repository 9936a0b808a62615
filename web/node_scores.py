"""Each lineage node's score, read in one pass over its evaluations: the headline score, a short text for
its label ("88 seeds" or "incomplete"), a sentence for its tooltip, and a rank from 0 (worst) to 4 (best)
that the graph draws as size and colour."""

from dataclasses import dataclass

from provenance.models import Evaluation, Run

CHUNK = 5000
RANKS = 4


@dataclass(frozen=True)
class NodeScore:
    value: float | None
    text: str
    explained: str
    rank: int


def node_scores(ids) -> dict[int, NodeScore]:
    ids = sorted(ids)
    per: dict[int, list[tuple]] = {}
    problems: dict[int, list[str]] = {}  # a candidate's score is over its run's problems (not held-out ones)
    for i in range(0, len(ids), CHUNK):
        rows = Evaluation.objects.filter(candidate_id__in=ids[i : i + CHUNK]).values_list(
            "candidate_id", "run_id", "problem", "verdict", "score", "seeds", "unreduced")
        for pk, run, problem, *row in rows:
            if run not in problems:
                problems[run] = Run.objects.get(pk=run).problems
            if problem in problems[run]:
                per.setdefault(pk, []).append(row)
    scored = {pk: _score(rows) for pk, rows in per.items()}
    complete = sorted({s.value for s in scored.values() if s.text.endswith("seeds")})
    for pk, s in scored.items():
        if s.value is not None and s.text.endswith("seeds"):
            place = complete.index(s.value) / max(1, len(complete) - 1) if len(complete) > 1 else 1.0
            scored[pk] = NodeScore(s.value, s.text, s.explained, 1 + round(place * (RANKS - 1)))
    return scored


def _score(rows: list[tuple]) -> NodeScore:
    if any(verdict == "failed" or score is None for verdict, score, _, _ in rows):
        return NodeScore(None, "failed", "failed to run", 0)
    total = float(sum(score for _, score, _, _ in rows))
    if all(verdict == "complete" for verdict, *_ in rows):
        seeds = sum(seeds or 0 for _, _, seeds, _ in rows)
        return NodeScore(total, f"{seeds} seeds", f"score {total:g}: complete with {seeds} seeds", 1)
    unreduced = sum(u or 0 for verdict, _, _, u in rows if verdict != "complete")
    return NodeScore(total, "incomplete", f"score {total:g}: incomplete, {unreduced} integrals unreduced "
                     "(a penalty, not seeds)", 0)
