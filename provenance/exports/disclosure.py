"""The AI-use disclosure: one paragraph written from the records, in Markdown or LaTeX.

What journals ask (APS, Springer Nature, ICMJE, COPE, arXiv): which tools and versions, what they were asked,
how they were directed (prompt templates, parameters), how their outputs were verified, and who the people
were; AI is not an author. Every value comes from a record; nothing is filled in by hand.
"""

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from provenance.exports import Export
from provenance.exports.facts import Facts, author, describe_agent, facts, heads, person
from provenance.exports.scope import Scope


@dataclass
class Style:
    value: Callable[[object], str]  # escapes an untrusted value
    code: Callable[[str], str]  # typesets a trusted identifier as code
    heading: str


def render(scope: Scope) -> Export:
    from provenance.exports.transcript import md

    style = Style(md, lambda text: f"`{text}`", "## Use of AI tools\n\n")
    return Export(
        paragraph(scope, style).encode("utf-8"), f"{scope.name}-disclosure.md", "text/markdown; charset=utf-8"
    )


def render_tex(scope: Scope) -> Export:
    return Export(tex_paragraph(scope).encode("ascii"), f"{scope.name}-disclosure.tex", "application/x-tex")


def tex_paragraph(scope: Scope) -> str:
    from provenance.exports.tex import escape, tt

    style = Style(escape, tt, "\\paragraph{Use of AI tools.}\n")
    return paragraph(scope, style)


def paragraph(scope: Scope, style: Style) -> str:
    f, v, code = facts(scope), style.value, style.code
    what = (
        f"the rule of candidate {scope.focus.pk} and its {len(scope.candidates) - 1} ancestors"
        if scope.focus is not None
        else f"run {scope.run.pk}"
    )
    runs = "; ".join(
        f"{v(run.engine)} engine, Seedtrace code version {v(run.code_version or 'unrecorded')}, "
        f"random seed {v(run.random_seed)}"
        for run in scope.runs
    )
    sentences = [
        f"The seeding rules reported here ({what}) were searched for with Seedtrace ({runs}) on the "
        f"{v(f.family)} family, problems {v(', '.join(f.problems))}."
    ]
    sentences += model_sentences(scope, f, v, code)
    other = [*f.algorithms, *f.literature]
    if other:
        sentences.append(f"Other candidates came from {v('; '.join(other))}.")
    sentences.append(tools_sentence(scope, v))
    sentences.append(directed_sentence(scope, v))
    sentences.append(verification_sentence(scope, f, v))
    sentences.append(recheck_sentence(scope))
    sentences.append(people_sentence(scope, v))
    for head in heads(scope):
        sentences.append(
            f"Every prompt, raw model output, program and score is in the accompanying record, hash-chained "
            f"(chain {v(head.chain)}, {head.seq} records, head SHA-256 {code(head.hash)}; check with "
            f"{code(f'manage.py verify --run {head.run}')})."
        )
    sentences.append("No AI tool is an author of this work.")
    return style.heading + " ".join(sentences) + "\n"


def model_sentences(scope: Scope, f: Facts, v, code) -> list[str]:
    if not scope.calls:
        return ["No language model was used."]
    templates = Counter(f"{p.template_name} version {p.template_version}" for p in scope.prompts)
    parameters = Counter(
        json.dumps(
            {
                k: val
                for k, val in {
                    "temperature": c.request_temperature,
                    "top_p": c.request_top_p,
                    "max_tokens": c.request_max_tokens,
                    "seed": c.request_seed,
                    **c.params,
                }.items()
                if val is not None
            },
            sort_keys=True,
        )
        for c in scope.calls
    )
    cost = f"{f.cost.text()} in all (price tables {', '.join(f.price_tables) or 'none'})"
    return [
        f"Language models ({v('; '.join(f.models))}) were called {f.calls} times "
        f"({f.input_tokens} input and {f.output_tokens} output tokens; cost {v(cost)}).",
        "They were asked to propose an improved version of a Python seeding rule (a function that decides "
        "which integrals seed the integration-by-parts system), shown earlier candidates in the prompt.",
        "Prompts were rendered from the templates "
        f"{v(', '.join(f'{t} ({n} prompts)' for t, n in templates.items()))}"
        f" with the request parameters {v('; '.join(f'{p} ({n} calls)' for p, n in parameters.items()))}.",
    ]


def tools_sentence(scope: Scope, v) -> str:
    """Each tool by name and version with what it did (APS and AIP ask for both)."""
    made = Counter(c.agent_id for c in scope.candidates)
    calls = Counter(c.agent_id for c in scope.calls)
    parts = []
    for agent in scope.agents:
        if agent.kind == "model":
            parts.append(f"{describe_agent(agent)}: a language model that proposed programs "
                         f"({calls[agent.pk]} calls, {made[agent.pk]} candidates)")
        elif agent.kind == "algorithm":
            parts.append(f"{describe_agent(agent)}: a search operator, not AI-generated text, that produced "
                         f"{made[agent.pk]} candidates")
    if not parts:
        return "No AI tool or search operator produced a program here."
    return f"Tools, each with its version and what it did: {v('; '.join(parts))}."


def directed_sentence(scope: Scope, v) -> str:
    starters = sorted({person(run.started_by) for run in scope.runs if run.started_by is not None})
    who = "; ".join(starters) or "an unrecorded person"
    return (
        f"The search was directed by the people who configured and started it ({v(who)}): they chose the "
        "family, the problems, the engine and its budget; the tools chose no problem and no score."
    )


def recheck_sentence(scope: Scope) -> str:
    complete = [e for e in scope.evaluations if e.verdict == "complete"]
    repeated = [e for e in complete if (e.details or {}).get("checks")]
    checks = [c for e in repeated for c in e.details["checks"]]
    if not checks:
        return "Complete results were not re-checked at a second prime and point in this record."
    agreed = sum(1 for c in checks if c.get("agree"))
    if len(repeated) == len(complete):
        return (f"Every complete result was re-checked at a second independent prime and random point: "
                f"{agreed} of {len(checks)} re-checks agreed.")
    return (
        f"{len(repeated)} of {len(complete)} complete results were re-checked at a second independent prime "
        f"and random point ({agreed} of {len(checks)} re-checks agreed): every result that could be final "
        "(each rule that reached the run's best, and every rule a person wrote); the others were reached at "
        "one prime and point, and each says so in its evaluation."
    )


def verification_sentence(scope: Scope, f: Facts, v) -> str:
    points = sorted({json.dumps(e.point, sort_keys=True) for e in scope.evaluations if e.point})
    return (
        "No output was taken on trust: every program was run in a sandbox and checked by reducing "
        "the problems' "
        f"integrals with a finite-field solver ({v(', '.join(f.solver_versions) or 'version unrecorded')}; "
        f"primes {v(', '.join(map(str, f.primes)) or 'unrecorded')}; points "
        f"{v('; '.join(points) or 'unrecorded')}), {f.evaluations} evaluations in all, "
        f"{f.failed_evaluations} of which failed and are kept in the record."
    )


def people_sentence(scope: Scope, v) -> str:
    roles: dict[str, list[str]] = {}
    for run in scope.runs:
        if run.started_by is not None:
            roles.setdefault(person(run.started_by), []).append(f"started run {run.pk}")
    for agent in scope.agents:
        if agent.kind == "person":
            roles.setdefault(agent.name, []).append("wrote or edited programs")
    for note in scope.annotations:
        roles.setdefault(author(note), []).append("annotated the record")
    if not roles:
        return "No person is recorded as taking part."
    listed = "; ".join(f"{v(name)} ({', '.join(dict.fromkeys(what))})" for name, what in roles.items())
    return f"The people involved: {listed}."
