"""The Markdown transcript: the results, a header, the chain heads, a whole run's numbers, then every step in
the order it was recorded.

What it says comes from provenance.exports.outline; this module only formats it. Untrusted text (prompts,
model output, programs, notes) goes in fenced blocks whose fence is longer than any backtick run inside, so
nothing can close them early; short strings are escaped (every ASCII punctuation character backslash-escaped),
so no HTML or Markdown passes through. Control characters are shown, not passed on
(provenance.exports.facts.visible): the JSONL archive holds the exact text.
"""

import re

from provenance.exports import Export, outline
from provenance.exports.facts import one_line, visible
from provenance.exports.results import ACTIVITY_COLUMNS, COLUMNS, TOP_COLUMNS
from provenance.exports.scope import Scope

PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
SCORE_COLUMNS = "problem verdict score seeds equations masters unreduced seconds failure solver prime".split()


def md(value) -> str:
    return PUNCTUATION.sub(r"\\\1", one_line(value))


def fence(text: str, info: str = "") -> str:
    text = visible(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    marks = "`" * max(3, longest + 1)
    body = text if text.endswith("\n") or not text else text + "\n"
    return f"{marks}{info}\n{body}{marks}\n"


def render(scope: Scope) -> Export:
    return Export(transcript(scope).encode("utf-8"), f"{scope.name}.md", "text/markdown; charset=utf-8")


def transcript(scope: Scope) -> str:
    return Markdown().document(outline.build(scope))


def row(cells) -> str:
    return "| " + " | ".join("" if cell is None else md(cell) for cell in cells) + " |"


class Markdown(outline.Renderer):
    def document(self, plan: outline.Outline) -> str:
        return "\n".join(
            [
                self.results(plan.results),
                self.header(plan),
                self.chain_section(plan),
                *([self.numbers(plan)] if plan.numbers is not None else []),
                f"## {plan.steps_heading}\n",
                *(self.step(step) for step in plan.steps),
            ]
        )

    def results(self, res) -> str:
        c = res.candidate
        if c is None:
            return "## Results\n\nThe record holds no candidate.\n"
        lines = [
            "## Results\n",
            f"The {res.which} is candidate {c.pk} (hash `{c.hash}`). Its rule:\n",
            fence(c.source, "python"),
            res.notation + "\n",
            row(COLUMNS),
            "|" + "---|" * len(COLUMNS),
            *(row(r.cells()) for r in res.rows),
            "",
            md(res.checked),
            "",
            "**What was not checked:**\n",
            *(f"- {md(line)}" for line in res.unchecked),
        ]
        return "\n".join(lines) + "\n"

    def numbers(self, plan: outline.Outline) -> str:
        n = plan.numbers
        lines = [
            "## The run in numbers\n",
            f"{md(n.counted)} {plan.steps_told(lambda text: f'`{text}`')}\n",
            row(ACTIVITY_COLUMNS),
            "|---|---|---|---|",
            *(row([a.activity, a.candidates, a.complete, a.failed]) for a in n.activities),
            "",
            f"{md(n.top_title)}:\n",
            row(TOP_COLUMNS),
            "|---|---|---|---|",
            *(row([r.candidate.pk, r.candidate.activity, r.seeds, r.candidate.hash[:16]]) for r in n.top),
        ]
        if n.front is not None:
            lines += ["", f"{md(n.front.title)}:\n", row(n.front.columns),
                      "|" + "---|" * len(n.front.columns),
                      *(row([r.candidate.pk, *r.totals]) for r in n.front.rows)]
        return "\n".join(lines) + "\n"

    def header(self, plan: outline.Outline) -> str:
        h, f = plan.header, plan.header.facts
        lines = [
            f"# Seedtrace transcript: {h.subject}\n",
            *(
                f"- **Run {run.pk}**: {md(run.title or run.family)}, engine {md(run.engine)}, seed "
                f"{run.random_seed}, code {md(run.code_version or 'unrecorded')}, "
                f"started {run.recorded_at:%Y-%m-%d %H:%M} UTC"
                for run in h.runs
            ),
            f"- **Family**: {md(f.family)}",
            f"- **Problems**: {md(h.problems)}",
            *(f"- **{label}**: {md(value)}" for label, value in h.named),
            f"- **Counts**: {h.counts}",
            f"- **Tokens**: {f.input_tokens} in, {f.output_tokens} out; **cost**: {md(h.cost)}",
            f"- **Solver**: {md(', '.join(f.solver_versions) or 'unrecorded')}; "
            f"primes {', '.join(map(str, f.primes)) or 'none'}",
        ]
        if h.focus is not None:
            lines.append(f"- **Final program**: candidate {h.focus.pk} (hash `{h.focus.hash}`)")
        return "\n".join(lines) + "\n"

    def chain_section(self, plan: outline.Outline) -> str:
        lines = ["## Ledger chain head\n"]
        for check in plan.checks:
            head = check.head
            lines.append(f"- Chain `{head.chain}` at seq {head.seq}: `{head.hash}`")
            lines += [f"  - {step}" for step in check.steps]
        return "\n".join(lines) + "\n"

    def step(self, step: outline.ExportStep) -> str:
        return "\n".join([f"### {step.title(md)}\n", *self.parts(step)])

    def summary(self, part: outline.Summary) -> str:
        c = part.candidate
        lines = [
            f"- Recorded {c.recorded_at.isoformat()} in run {c.run_id}, seq {c.seq}, hash `{c.hash}`",
            f"- Agent: {md(part.agent_name)} ({md(part.agent.kind)})",
            f"- Activity: {md(c.activity)}" + (f", island {c.island}" if c.island is not None else ""),
        ]
        if part.parents:
            listed = ", ".join(
                f"candidate {p.pk} ({md(e.role)}{' ' + md(e.slot) if e.slot else ''})"
                for e, p in part.parents
            )
            lines.append(f"- Parents: {listed}")
        if part.params:
            lines.append(f"- Operator parameters: {md(part.params)}")
        return "\n".join(lines) + "\n"

    def prompt(self, part: outline.PromptPart) -> str:
        p = part.prompt
        slots = ", ".join(f"{md(s['slot'])} = candidate {s['candidate']}" for s in p.slots)
        lines = [f"#### Prompt {p.pk} (template {md(p.template_name)} version {md(p.template_version)})\n"]
        if slots:
            lines.append(f"Slots: {slots}\n")
        return "\n".join([*lines, fence(p.text, "text")])

    def call(self, part: outline.CallPart) -> str:
        call = part.call
        table = f" ({md(call.price_table)})" if call.price_table else ""
        lines = [
            f"#### LLM call {call.pk}: {md(part.agent_name)}, attempt {call.attempt}\n",
            f"- Request and response: {md(part.request)}",
            f"- Other parameters: {md(part.params)}" if part.params else "",
            f"- Latency {call.latency_seconds} s; cost {md(part.cost)}{table}",
            *([f"- Error: {md(call.error_type)} {md(call.error)}"] if call.failed else []),
            "",
            "Raw model output:\n",
            fence(call.response_text, "text"),
        ]
        return "\n".join(lines)

    def program(self, part: outline.ProgramPart) -> str:
        return "\n".join(["#### Program\n", fence(part.source, "python")])

    def diff(self, part: outline.DiffPart) -> str:
        heading = f"#### Diff to candidate {part.parent.pk} ({md(part.edge.role)})\n"
        return "\n".join([heading, fence(part.text, "diff")])

    def scores(self, part: outline.ScoresPart) -> str:
        lines = ["#### Scores\n", "| " + " | ".join(SCORE_COLUMNS) + " |", "|" + "---|" * len(SCORE_COLUMNS)]
        for e in part.evaluations:
            seconds = None if e.seconds is None else round(e.seconds, 3)
            cells = [e.problem, e.verdict, e.score, e.seeds, e.equations, e.masters, e.unreduced, seconds]
            cells += [e.failure, e.solver_version, e.prime]
            lines.append("| " + " | ".join("" if c is None else md(c) for c in cells) + " |")
        lines.append("")
        for e in part.evaluations:
            if e.error:
                lines += [f"Error on {md(e.problem)}:\n", fence(e.error, "text")]
        return "\n".join(lines)

    def note(self, part: outline.NotePart) -> str:
        note = part.note
        return (
            f"Note on {part.about} {part.pk} by {md(part.author)}, {note.recorded_at.isoformat()} "
            f"(version {note.version}):\n\n" + fence(note.body, "markdown")
        )
