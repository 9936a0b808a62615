"""The LaTeX supplement: the transcript as an appendix that compiles with pdflatex.

What it says comes from provenance.exports.outline; this module only formats it. Needs only fancyvrb, color
and the Times/Courier fonts of texlive-fonts-recommended (no font is generated at compile time). Untrusted
text goes through provenance.exports.tex only.
"""

from provenance.exports import Export, outline
from provenance.exports.disclosure import tex_paragraph
from provenance.exports.markdown_tex import markdown
from provenance.exports.results import ACTIVITY_COLUMNS, COLUMNS, TOP_COLUMNS, Results
from provenance.exports.scope import Scope
from provenance.exports.tex import HASH_MACRO, code, escape, hexhash, style_definitions, tt

PREAMBLE = r"""\documentclass[10pt]{article}
\usepackage[T1]{fontenc}
\usepackage{mathptmx}
\usepackage{courier}
\usepackage{fancyvrb}
\usepackage{color}
\usepackage{amsmath}
\usepackage[a4paper,margin=2cm]{geometry}
\setlength{\parindent}{0pt}
\setlength{\parskip}{4pt}
\sloppy
""" + HASH_MACRO


def render(scope: Scope) -> Export:
    return Export(supplement(scope).encode("ascii"), f"{scope.name}.tex", "application/x-tex")


def supplement(scope: Scope) -> str:
    """A candidate's ancestry in full; a whole run in numbers, then its best candidate's ancestry in full."""
    return Latex().document(outline.build(scope, final_ancestry=True), tex_paragraph(scope))


def items(*lines: str) -> str:
    return "\\begin{itemize}\n" + "\n".join(rf"\item {line}" for line in lines if line) + "\n\\end{itemize}\n"


def _cell(value) -> str:
    return "--" if value is None else escape(value)


class Latex(outline.Renderer):
    def document(self, plan: outline.Outline, disclosure: str) -> str:
        """The whole supplement; `disclosure` is the AI-use paragraph (provenance.exports.disclosure)."""
        out = [
            PREAMBLE,
            style_definitions(),
            r"\begin{document}",
            self.results(plan.results),
            self.header(plan),
            disclosure,
            self.chain_section(plan),
            self.numbers(plan) if plan.numbers is not None else "",
            rf"\subsection*{{{plan.steps_heading}}}",
            *(self.step(step) for step in plan.steps),
            r"\end{document}",
        ]
        return "\n".join(out) + "\n"

    def results(self, res: Results) -> str:
        c = res.candidate
        if c is None:
            return "\\section*{Results}\nThe record holds no candidate.\n"
        out = [
            r"\section*{Results}",
            rf"The {res.which} is candidate {c.pk} (hash {hexhash(c.hash)}). Its rule:",
            code(c.source, "python"),
            res.notation,
            r"\par\medskip",
            self.table(res),
            rf"\par {escape(res.checked)}",
            r"\paragraph{What was not checked}",
            items(*(escape(line) for line in res.unchecked)),
        ]
        return "\n".join(out)

    def table(self, res: Results) -> str:
        lines = [
            r"{\small\begin{tabular}{p{2.4cm}llllll}",
            r"\hline",
            " & ".join(COLUMNS) + r" \\",
            r"\hline",
            *(" & ".join(_cell(cell) for cell in row.cells()) + r" \\" for row in res.rows),
        ]
        return "\n".join([*lines, r"\hline", r"\end{tabular}}"]) + "\n"

    def numbers(self, plan: outline.Outline) -> str:
        """A whole run in two tables: each activity's candidates, and the ones with the fewest seeds."""
        n = plan.numbers
        lines = [
            r"\section*{The run in numbers}",
            f"{escape(n.counted)} {plan.steps_told(tt)}",
            r"\par\medskip\begin{tabular}{lrrr}",
            r"\hline " + " & ".join(ACTIVITY_COLUMNS) + r" \\ \hline",
            *(rf"{escape(a.activity)} & {a.candidates} & {a.complete} & {a.failed} \\" for a in n.activities),
            r"\hline\end{tabular}",
            "",
            rf"\paragraph{{{escape(n.top_title)}}}",
            r"\begin{tabular}{rlrl}",
            r"\hline " + " & ".join(TOP_COLUMNS) + r" \\ \hline",
            *(rf"{r.candidate.pk} & {escape(r.candidate.activity)} & {_cell(r.seeds)} & "
              rf"{hexhash(r.candidate.hash[:16])} \\" for r in n.top),
            r"\hline\end{tabular}",
            "",
            *self._front(n.front),
            f"The best candidate is candidate {plan.results.candidate.pk}." if plan.results.candidate else "",
        ]
        return "\n".join(lines) + "\n"

    @staticmethod
    def _front(front) -> list[str]:
        """Under a Pareto objective, the run's results: its front (provenance.exports.front)."""
        if front is None:
            return []
        return [rf"\paragraph{{{escape(front.title)}}}",
                r"\begin{tabular}{" + "r" * len(front.columns) + "}",
                r"\hline " + " & ".join(escape(c) for c in front.columns) + r" \\ \hline",
                *(" & ".join(str(v) for v in (r.candidate.pk, *r.totals)) + r" \\" for r in front.rows),
                r"\hline\end{tabular}", ""]

    def header(self, plan: outline.Outline) -> str:
        h, f = plan.header, plan.header.facts
        return (
            rf"\section*{{Supplement: Seedtrace record of the {h.subject}}}"
            + "\n"
            + items(
                *(
                    rf"Run {run.pk}: {escape(run.title or run.family)}; engine {escape(run.engine)}, seed "
                    rf"{escape(run.random_seed)}, code {escape(run.code_version or 'unrecorded')}"
                    for run in h.runs
                ),
                rf"Family: {escape(f.family)}; problems: {escape(h.problems)}",
                *(rf"{label}: {escape(value)}" for label, value in h.named),
                rf"Counts: {h.counts}",
                rf"Tokens: {f.input_tokens} in, {f.output_tokens} out; cost: {escape(h.cost)}",
                rf"Final program: candidate {h.focus.pk}, hash {hexhash(h.focus.hash)}" if h.focus else "",
            )
        )

    def chain_section(self, plan: outline.Outline) -> str:
        out = [r"\subsection*{Ledger chain head}"]
        for check in plan.checks:
            head = check.head
            out.append(rf"Chain {tt(head.chain)} at seq {head.seq}: {hexhash(head.hash)}")
            out.append(items(*(escape(step) for step in check.steps)))
        return "\n".join(out)

    def step(self, step: outline.ExportStep) -> str:
        heading = rf"\subsubsection*{{{step.title(escape)}}}"
        # A lone call's heading runs straight into the paragraph of its prompt or call.
        return heading + ("" if step.candidate is None else "\n") + "\n".join(self.parts(step))

    def summary(self, part: outline.Summary) -> str:
        c = part.candidate
        parents = ", ".join(f"candidate {p.pk} ({escape(e.role)} {escape(e.slot)})" for e, p in part.parents)
        return items(
            rf"Recorded {escape(c.recorded_at.isoformat())} in run {c.run_id}, seq {c.seq}, "
            rf"hash {hexhash(c.hash)}",
            rf"Agent: {escape(part.agent_name)} ({escape(part.agent.kind)})",
            f"Parents: {parents}" if parents else "",
            f"Operator parameters: {escape(part.params)}" if part.params else "",
        )

    def prompt(self, part: outline.PromptPart) -> str:
        p = part.prompt
        slots = ", ".join(f"{s['slot']} = candidate {s['candidate']}" for s in p.slots)
        heading = (
            rf"\paragraph{{Prompt {p.pk}}} template {escape(p.template_name)} version "
            rf"{escape(p.template_version)}; slots: {escape(slots or 'none')}"
        )
        return "\n".join([heading, code(p.text)])

    def call(self, part: outline.CallPart) -> str:
        call = part.call
        facts = items(
            "Request and response: " + escape(part.request),
            "Other parameters: " + escape(part.params) if part.params else "",
            escape(f"Latency {call.latency_seconds} s; cost {part.cost} {call.price_table}"),
            escape(f"Error: {call.error_type} {call.error}") if call.failed else "",
        )
        heading = rf"\paragraph{{LLM call {call.pk}}} {escape(part.agent_name)}, attempt {call.attempt}"
        return "\n".join([heading, facts, r"\paragraph{Raw model output}", code(call.response_text)])

    def program(self, part: outline.ProgramPart) -> str:
        return "\n".join([r"\paragraph{Program}", code(part.source, "python")])

    def diff(self, part: outline.DiffPart) -> str:
        heading = rf"\paragraph{{Diff to candidate {part.parent.pk} ({escape(part.edge.role)})}}"
        return "\n".join([heading, code(part.text, "diff")])

    def scores(self, part: outline.ScoresPart) -> str:
        lines = (
            f"{e.problem}: {e.verdict}, score {e.score}, seeds {e.seeds}, equations {e.equations}, "
            f"masters {e.masters}, unreduced {e.unreduced}, {e.seconds} s, solver {e.solver_version}, "
            f"prime {e.prime}" + (f"; {e.failure}: {e.error}" if e.failure else "")
            for e in part.evaluations
        )
        return "\n".join([r"\paragraph{Scores}", items(*(escape(line) for line in lines))])

    def note(self, part: outline.NotePart) -> str:
        note = part.note
        heading = (
            rf"\paragraph{{Note on {escape(part.about)} {part.pk}}} by {escape(part.author)}, "
            rf"{escape(note.recorded_at.isoformat())} (version {note.version})"
        )
        return "\n".join([heading, markdown(note.body)])
