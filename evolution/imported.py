"""Scoring the rules of a run brought in from another tool (provenance.sources) with our solver, beside the
scores that tool gave them (kept as the tool's, in each candidate's params.scores)."""

import ast

from evolution import objective
from evolution.evaluation import run_limits, run_problems
from evolution.scoring import ProblemVerdict, score_program
from provenance import ledger
from provenance.models import Candidate, Run


def from_another_tool(run: Run) -> str | None:
    """The tool a run was imported from (provenance.sources), or None."""
    source = (run.config or {}).get("source")
    return source.get("tool") if isinstance(source, dict) else None


def is_rule(source: str) -> bool:
    """A seeding rule defines keep(seed) at the top level (whatever else the tool's program holds)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return any(isinstance(node, ast.FunctionDef) and node.name == "keep" for node in tree.body)


def beside_theirs(run: Run, candidates, *, record: bool = False) -> list[dict]:
    """Each candidate that is a rule scored on the run's family and problems, beside the tool's scores;
    with `record`, our verdicts become its evaluations (the next reevaluate compares them as any run's)."""
    problems, limits, scored_by = run_problems(run), run_limits(run), objective.of_run(run)
    rows = []
    for candidate in candidates:
        row = {"candidate": candidate.pk, "theirs": (candidate.params or {}).get("scores", {}), "ours": None}
        if is_rule(candidate.source):
            verdicts = score_program(candidate.source, problems, limits, objective=scored_by)
            row["ours"] = [_ours(v) for v in verdicts]
            if record:
                _record(candidate, verdicts)
        rows.append(row)
    return rows


def _ours(verdict: ProblemVerdict) -> dict:
    return {"problem": verdict.problem, "verdict": verdict.verdict, "score": verdict.score,
            "seeds": verdict.seeds, "failure": verdict.failure}


def _record(candidate: Candidate, verdicts: list[ProblemVerdict]) -> None:
    with ledger.batch(candidate.run):
        for verdict in verdicts:
            ledger.record_evaluation(candidate, **verdict.fields())
