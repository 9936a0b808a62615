"""The results section of the LaTeX supplement (provenance.exports.results formatted), and a whole run's
summary: what each kind of step produced and the best candidates, in tables rather than thousands of pages.
"""

from collections import defaultdict

from provenance.exports.baselines import CHECKS
from provenance.exports.results import Results, Row, best
from provenance.exports.scope import Scope
from provenance.exports.tex import code, escape, hexhash

TOP = 20  # candidates listed in a run's summary; the JSONL archive and the crate have every one


def section(res: Results, whole_run: bool) -> str:
    c = res.candidate
    if c is None:
        return "\\section*{Results}\nThe record holds no candidate.\n"
    which = "best candidate of the run" if whole_run else "final program"
    out = [
        r"\section*{Results}",
        rf"The {which} is candidate {c.pk} (hash {hexhash(c.hash)}). Its rule:",
        code(c.source, "python"),
        (
            rf"In mathematical notation, a seed is kept when ${res.math}$."
            if res.math
            else "The rule is not a single formula of the seed's features: the code above is its statement."
        ),
        r"\par\medskip",
        table(res.rows),
        checked(res.rows),
        r"\paragraph{What was not checked}",
        "\\begin{itemize}\n"
        + "\n".join(rf"\item {escape(line)}" for line in res.unchecked)
        + "\n\\end{itemize}",
    ]
    return "\n".join(out) + "\n"


def table(rows: list[Row]) -> str:
    lines = [
        r"{\small\begin{tabular}{p{2.4cm}llllll}",
        r"\hline",
        r"problem & verdict & seeds & equations & primes & Laporta seeds / eqs & Kira-3 seeds / eqs \\",
        r"\hline",
    ]
    for row in rows:
        e = row.evaluation
        ours = [escape(e.verdict), _n(e.seeds), _n(e.equations)] if e else ["not evaluated", "--", "--"]
        base = {
            b.rule: f"{b.seeds} / {b.equations}" + ("" if b.complete else " (incomplete)")
            for b in row.baselines
        }
        cells = [
            escape(row.problem),
            *ours,
            str(len(row.primes)),
            escape(base.get("laporta", "--")),
            escape(base.get("kira3", "--")),
        ]
        lines.append(" & ".join(cells) + r" \\")
    return "\n".join([*lines, r"\hline", r"\end{tabular}}"]) + "\n"


def checked(rows: list[Row]) -> str:
    primes = sorted({p for row in rows for p in row.primes})
    least = min((len(row.primes) for row in rows if row.evaluation is not None), default=0)
    return (
        rf"\par Completeness of the rule was checked at {least} or more independent primes and random points "
        rf"per problem (primes {escape(', '.join(map(str, primes)) or 'none recorded')}); the literature "
        rf"rules were reduced at {CHECKS} each, at the same points. Seeds and equations are counted without "
        r"symmetries, with IBP and Lorentz-invariance identities."
    )


def _n(value) -> str:
    return "--" if value is None else str(value)


def summary(scope: Scope) -> str:
    """A whole run in two tables: each activity's candidates, and the best TOP."""
    by_activity: dict[str, list] = defaultdict(list)
    for candidate in scope.candidates:
        by_activity[candidate.activity].append(candidate)
    lines = [
        r"\section*{The run in numbers}",
        rf"{len(scope.candidates)} candidates, {len(scope.evaluations)} evaluations, {len(scope.calls)} LLM "
        rf"calls; {_lone_calls(scope)} LLM call(s) produced no program. The steps below tell only the best "
        r"candidate's ancestry; every record of the run is in the "
        r"JSONL archive and the RO-Crate (\texttt{manage.py export --run "
        + str(scope.run.pk)
        + r" --format jsonl}).",
        r"\par\medskip\begin{tabular}{lrrr}",
        r"\hline activity & candidates & complete on every problem & failed evaluations \\ \hline",
    ]
    for activity, candidates in sorted(by_activity.items()):
        complete = sum(1 for c in candidates if _complete(scope, c))
        failed = sum(1 for c in candidates for e in scope.evaluations_of(c) if e.verdict == "failed")
        lines.append(rf"{escape(activity)} & {len(candidates)} & {complete} & {failed} \\")
    lines += [r"\hline\end{tabular}", "", top(scope)]
    return "\n".join(lines) + "\n"


def top(scope: Scope) -> str:
    ranked = sorted(scope.candidates, key=lambda c: (-_seeds_key(scope, c), c.pk))[:TOP]
    lines = [
        rf"\paragraph{{The {len(ranked)} candidates with the fewest seeds, complete on every problem first}}",
        r"\begin{tabular}{rlrl}",
        r"\hline candidate & activity & seeds in all & hash \\ \hline",
    ]
    for c in ranked:
        seeds = sum(e.seeds or 0 for e in scope.evaluations_of(c)) if _complete(scope, c) else None
        lines.append(rf"{c.pk} & {escape(c.activity)} & {_n(seeds)} & {hexhash(c.hash[:16])} \\")
    best_one = best(scope)
    lines += [
        r"\hline\end{tabular}",
        "",
        rf"The best candidate is candidate {best_one.pk}." if best_one else "",
    ]
    return "\n".join(lines)


def _lone_calls(scope: Scope) -> int:
    produced = {c.llm_call_id for c in scope.candidates}
    return sum(1 for call in scope.calls if call.pk not in produced)


def _complete(scope: Scope, candidate) -> bool:
    done = {e.problem: e.verdict for e in scope.evaluations_of(candidate)}
    return bool(scope.run.problems) and all(done.get(p) == "complete" for p in scope.run.problems)


def _seeds_key(scope: Scope, candidate) -> float:
    if not _complete(scope, candidate):
        return -float("inf")
    return -sum(e.seeds or 0 for e in scope.evaluations_of(candidate))
