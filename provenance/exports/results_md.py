"""The results section of the Markdown transcript: provenance.exports.results in Markdown, the same facts
the LaTeX supplement opens with (provenance.exports.results_tex)."""

from provenance.exports.results import Results
from provenance.exports.transcript import fence, md


def section(res: Results, whole_run: bool) -> str:
    c = res.candidate
    if c is None:
        return "## Results\n\nThe record holds no candidate.\n"
    which = "best candidate of the run" if whole_run else "final program"
    lines = [
        "## Results\n",
        f"The {which} is candidate {c.pk} (hash `{c.hash}`). Its rule:\n",
        fence(c.source, "python"),
        f"In mathematical notation: ${res.math}$\n" if res.math else "",
        "| problem | verdict | seeds | equations | primes checked | Laporta seeds / equations "
        "| Kira-3 seeds / equations |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in res.rows:
        e = row.evaluation
        ours = f"{md(e.verdict)} | {e.seeds} | {e.equations}" if e else "not evaluated | | "
        base = {b.rule: f"{b.seeds} / {b.equations}" + ("" if b.complete else " (incomplete)")
                for b in row.baselines}
        laporta, kira3 = base.get("laporta", ""), base.get("kira3", "")
        lines.append(f"| {md(row.problem)} | {ours} | {len(row.primes)} | {laporta} | {kira3} |")
    lines += ["", "**Not checked:**", *(f"- {md(line)}" for line in res.unchecked)]
    return "\n".join(lines) + "\n"
