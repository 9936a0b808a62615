"""The LaTeX supplement: the transcript as an appendix that compiles with pdflatex.

What it says comes from provenance.exports.outline; this module only formats it. Needs only fancyvrb, color
and the Times/Courier fonts of texlive-fonts-recommended (no font is generated at compile time). Untrusted
text goes through provenance.exports.tex only.
"""

from provenance.exports import Export, outline, results_tex
from provenance.exports.disclosure import tex_paragraph
from provenance.exports.markdown_tex import markdown
from provenance.exports.results import Results, results
from provenance.exports.scope import Scope, candidate_scope
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
    """A candidate's ancestry in full; a whole run summarised in tables, then its best candidate's ancestry in
    full (4,000 pages of every candidate helps no reader: the JSONL archive and the crate hold them)."""
    res = results(scope)
    told = None
    if scope.whole_run and res.candidate is not None:
        told = candidate_scope(res.candidate)
    plan = outline.build(scope, told)
    extra = results_tex.summary(scope) if scope.whole_run else ""
    return Latex().document(plan, tex_paragraph(scope), res, extra)


def items(*lines: str) -> str:
    return "\\begin{itemize}\n" + "\n".join(rf"\item {line}" for line in lines if line) + "\n\\end{itemize}\n"


class Latex(outline.Renderer):
    def document(self, plan: outline.Outline, disclosure: str, res: Results, summary: str = "") -> str:
        """The whole supplement; `disclosure` is the AI-use paragraph (provenance.exports.disclosure), `res`
        the results that open it, `summary` a whole run's tables."""
        whole = res.candidate is not None and plan.header.focus is None
        told = f" of candidate {res.candidate.pk}'s ancestry" if whole else ""
        out = [
            PREAMBLE,
            style_definitions(),
            r"\begin{document}",
            results_tex.section(res, plan.header.focus is None),
            self.header(plan),
            disclosure,
            self.chain_section(plan),
            summary,
            rf"\subsection*{{Steps{told}, in the order they were recorded}}",
            *(self.step(step) for step in plan.steps),
            r"\end{document}",
        ]
        return "\n".join(out) + "\n"

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
