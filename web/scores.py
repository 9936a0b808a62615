"""What a score means, in words, wherever a page shows one.

A problem's score (solver.score) is −seeds when every target reduces to masters. A rule that leaves some
integrals unreduced gets a penalty below every complete score: −(seed pool size + 1) − unreduced; one that
selects more seeds than the cap is stopped before any equation is built: −2·(pool size + 1). A candidate's
headline score is the sum over the run's problems; a rule that failed to run on some problem has none.
So −50262 on one problem is not "50262 seeds": it is incomplete, with −50262 = −(pool + 1) − unreduced.
A run scored by a weighted objective (evolution.objective, recorded in details["objective"]) says so instead.
"""

from dataclasses import dataclass

COMPLETE, INCOMPLETE, FAILED = "complete", "incomplete", "failed"
SCALE = ("A problem's score is −seeds when every integral reduces to masters; an incomplete rule gets a "
         "penalty below every complete score, −(seed pool + 1) − unreduced; the headline is the sum over "
         "the problems. Higher is better.")


@dataclass(frozen=True)
class Explained:
    score: float | None
    complete: bool  # complete on every problem: the score is −seeds
    short: str  # a few words, for table cells and tooltips
    long: str  # a sentence per problem


def explain_problem(e) -> str:
    """One evaluation (a record or anything with its fields) in words."""
    if (getattr(e, "details", None) or {}).get("held_out"):
        return f"held out (never trained on), {_problem(e)}"
    return _problem(e)


def _problem(e) -> str:
    if e.verdict == FAILED:
        return f"{e.problem}: failed to run ({e.failure or 'error'}), no score"
    details = getattr(e, "details", None) or {}
    weighted = details.get("objective")
    if weighted:
        return (f"{e.problem}: {_weighted(e, details)}; score {_g(e.score)} by the objective {weighted}"
                + _axes(weighted, details))
    if e.verdict == COMPLETE:
        return f"{e.problem}: complete with {_n(e.seeds, 'seed')}, score −{e.seeds}"
    if details.get("rank_growth"):
        return (f"{e.problem}: not reduced, the run requires rank growth and {details['rank_growth']}; "
                f"penalty {_g(e.score)} = −2 × (seed pool + 1)")
    if details.get("capped"):
        return (f"{e.problem}: stopped, it selected {details.get('selected', '?')} seeds, over the cap of "
                f"{details.get('cap', '?')}; penalty {_g(e.score)} = −2 × (seed pool + 1)")
    if e.score is None or e.unreduced is None:
        return f"{e.problem}: incomplete, score {_g(e.score)}"
    pool = int(-e.score) - 1 - e.unreduced
    return (f"{e.problem}: incomplete, {_n(e.unreduced, 'integral')} not reduced to masters; penalty "
            f"{_g(e.score)} = −(seed pool {pool} + 1) − {e.unreduced}")


def _axes(weighted: str, details: dict) -> str:
    """A Pareto objective's scores on each of its axes, as recorded (a hand-made record may hold anything)."""
    axes = details.get("pareto")
    if not (weighted.startswith("pareto(") and weighted.endswith(")") and isinstance(axes, list)):
        return ""
    names = weighted[len("pareto("):-1].split(",")
    if len(names) != len(axes) or not all(type(a) in (int, float) for a in axes):
        return ""
    return ", on its axes " + ", ".join(f"{name} {_g(a)}" for name, a in zip(names, axes, strict=True))


def _weighted(e, details: dict) -> str:
    if e.verdict == COMPLETE:
        return f"complete with {_n(e.seeds, 'seed')}"
    if details.get("capped"):
        return f"stopped over the seed cap of {details.get('cap', '?')}, a penalty below every complete score"
    if details.get("rank_growth"):
        why = details["rank_growth"]
        return f"not reduced: {why} (the run requires rank growth), a penalty below every complete score"
    unreduced = "" if e.unreduced is None else f", {_n(e.unreduced, 'integral')} not reduced to masters"
    return f"incomplete{unreduced}, a penalty below every complete score"


def explain(evaluations, problems=None) -> Explained:
    """A candidate's headline score and what it is made of: its evaluations on its run's `problems` (all
    of them when not given); those on other problems (held out, or a person's choice) are told beside."""
    evaluations = list(evaluations)
    beside = [] if problems is None else [e for e in evaluations if e.problem not in problems]
    if beside:
        evaluations = [e for e in evaluations if e.problem in problems]
    if not evaluations:
        return Explained(None, False, "not evaluated", "Not evaluated.")
    long = "; ".join(explain_problem(e) for e in evaluations + beside) + "."
    failed = [e.problem for e in evaluations if e.verdict == FAILED or e.score is None]
    if failed:
        return Explained(None, False, f"failed on {', '.join(failed)}", long)
    score = float(sum(e.score for e in evaluations))
    incomplete = [e for e in evaluations if e.verdict != COMPLETE]
    if not incomplete:
        seeds = sum(e.seeds or 0 for e in evaluations)
        where = "" if len(evaluations) == 1 else f" over {len(evaluations)} problems"
        return Explained(score, True, f"complete: {_n(seeds, 'seed')}{where}", long)
    unreduced = [e.unreduced for e in incomplete if e.unreduced is not None]
    what = f", {_n(sum(unreduced), 'integral')} unreduced" if unreduced else ""
    names = ", ".join(e.problem for e in incomplete)
    return Explained(score, False, f"incomplete on {names}{what} (a penalty, not seeds)", long)


def explain_all(evaluations) -> dict[int, Explained]:
    """explain() for each candidate of a batch of evaluations (each with candidate_id and run_id), on the
    problems of its run."""
    from provenance.models import Run

    grouped: dict[int, list] = {}
    for e in evaluations:
        grouped.setdefault(e.candidate_id, []).append(e)
    runs = {rows[0].run_id for rows in grouped.values()}
    problems = dict(Run.objects.filter(pk__in=runs).values_list("pk", "problems"))
    return {pk: explain(sorted(rows, key=lambda e: e.problem), problems.get(rows[0].run_id))
            for pk, rows in grouped.items()}


def _n(count, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _g(score) -> str:
    return "–" if score is None else f"{score:g}".replace("-", "−")
