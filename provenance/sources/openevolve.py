"""An OpenEvolve run as its output directory holds it: `checkpoints/checkpoint_N/programs/*.json` and
`checkpoint_N/metadata.json`, and where tracing was on, `evolution_trace.jsonl` and
`evolution_trace_failures.jsonl` beside them.

A checkpoint holds only the programs alive at that moment; the union over all checkpoints keeps the ones
displaced later, and the trace adds children that lived and died between two checkpoints (when it kept their
code). OpenEvolve keeps a program's parent but not the inspirations shown beside it, and no cost.
"""

import hashlib
import re
from pathlib import Path

from provenance.sources.program import Attempt, Call, Program, Source
from provenance.sources.reading import Fields, Files, SourceError, parse_json

TOOL = "openevolve"
CHECKPOINT = re.compile(r"checkpoint_(\d{1,9})")
MAX_ARTIFACTS = 64 * 2**10  # characters of artifacts_json kept (OpenEvolve's own cut: 32 KiB each)
NOT_KEPT = [
    "inspirations: OpenEvolve does not save which programs a prompt showed beside the parent",
    "cost: OpenEvolve does not record it",
    "sampling parameters (temperature, max_tokens): not in the checkpoint files",
    "the tool's version: not in the files (given with --tool-version, if at all)",
]


def read(path: Path, version: str = "") -> tuple[Source, Files]:
    root = path
    files = Files(root)
    checkpoints = _checkpoints(root)
    if not checkpoints:
        raise SourceError(
            root.name, "no checkpoint_N directory with programs/ (is this an OpenEvolve output?)"
        )
    source = Source(TOOL, version, root.name, missing=list(NOT_KEPT))
    programs: dict[str, Program] = {}
    for number, directory in checkpoints:
        for file in sorted((directory / "programs").iterdir()):
            if file.suffix == ".json":
                _take(programs, _program(files, file), number)
        if (directory / "metadata.json").exists():
            source.events.append(("checkpoint", _metadata(files, directory / "metadata.json", number), None))
    if (root / "evolution_trace.jsonl").exists():
        _trace(files, root / "evolution_trace.jsonl", programs, source)
    else:
        source.missing.append("programs born and displaced between two checkpoints: no evolution_trace.jsonl")
    if (root / "evolution_trace_failures.jsonl").exists():
        source.attempts = list(_failures(files, root / "evolution_trace_failures.jsonl"))
    source.programs = list(programs.values())
    source.problems = sorted({name for p in source.programs for name in p.scores})
    return source, files


def _checkpoints(root: Path) -> list[tuple[int, Path]]:
    for base in (root / "checkpoints", root):
        if base.is_dir():
            found = [(int(m.group(1)), d) for d in base.iterdir() if (m := CHECKPOINT.fullmatch(d.name))]
            found = [(n, d) for n, d in found if (d / "programs").is_dir() and not d.is_symlink()]
            if found:
                return sorted(found)
    if CHECKPOINT.fullmatch(root.name) and (root / "programs").is_dir():
        return [(int(CHECKPOINT.fullmatch(root.name).group(1)), root)]
    return []


def _take(programs: dict[str, Program], program: Program, checkpoint: int) -> None:
    seen = programs.get(program.id)
    if seen is not None and seen.code != program.code:
        raise SourceError(program.file, f"program {program.id} has other code in {seen.file}", "code")
    if seen is None or (program.call is not None and seen.call is None):
        programs[program.id] = program
    kept = programs[program.id]
    kept.facts["checkpoints"] = [*(seen.facts.get("checkpoints", []) if seen else []), checkpoint]


def _program(files: Files, file: Path) -> Program:
    value = Fields(files.json(file), files.name(file))
    metadata = value.object("metadata")
    program = Program(
        id=value.text("id", optional=False),
        code=value.text("code", optional=False),
        file=value.file,
        sha256=files.read[value.file][0],
        parent=value.text("parent_id"),
        island=metadata.integer("island", 0, 2**31 - 1),
        scores=_scores(value.scores("metrics")),
    )
    if metadata.boolean("migrant"):
        program.copy_of, program.parent = program.parent, None
    program.facts = {
        "generation": value.integer("generation"),
        "iteration_found": value.integer("iteration_found"),
        "timestamp": value.number("timestamp"),
        "language": value.text("language"),
        "changes": metadata.text("changes"),
        "evolution_mode": metadata.text("evolution_mode"),
        "complexity": value.number("complexity"),
        "diversity": value.number("diversity"),
    }
    _artifacts(value, program)
    if program.parent is not None:
        program.call = _call(value.object("prompts"), metadata)
        if program.call.user is None:
            program.missing.append("prompt and response: not logged (database.log_prompts off)")
    return program


def _artifacts(value: Fields, program: Program) -> None:
    """The evaluator's small artifacts (`artifacts_json`: JSON text of an object) as the program's facts; over
    MAX_ARTIFACTS characters only its head is kept, as text, with its length and hash and a note that says so.
    Large artifacts OpenEvolve writes to `artifact_dir`, outside the checkpoint: named, not read."""
    text = value.text("artifacts_json")
    if text is not None and len(text) > MAX_ARTIFACTS:
        program.facts["artifacts"] = {
            "truncated": text[:MAX_ARTIFACTS],
            "characters": len(text),
            "sha256": hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest(),
        }
        program.missing.append(
            f"artifacts_json: {len(text)} characters, only the first {MAX_ARTIFACTS} kept (as text)"
        )
    elif text is not None:
        artifacts = parse_json(text, value.file, "artifacts_json")
        if not isinstance(artifacts, dict):
            value.refuse("artifacts_json", "JSON text of an object", artifacts)
        program.facts["artifacts"] = artifacts
    if value.text("artifact_dir"):
        program.missing.append("artifacts in artifact_dir: written outside the checkpoint, not read")


def _call(prompts: Fields, metadata: Fields) -> Call:
    call = Call()
    for template in sorted(prompts.value)[:1]:  # one prompt produced one program
        prompt = prompts.object(template)
        call.template, call.user, call.system = template, prompt.text("user"), prompt.text("system")
        responses = prompt.get("responses", list, "an array of strings", default=[])
        if responses and not isinstance(responses[0], str | type(None)):
            prompt.refuse("responses[0]", "a string", responses[0])
        call.response = responses[0] if responses else None
    _usage(call, metadata.object("token_usage"), metadata.text("llm_model"))
    return call


def _usage(call: Call, usage: Fields, model: str | None) -> None:
    call.model = model or usage.text("model")
    call.input_tokens = usage.integer("prompt_tokens")
    call.output_tokens = usage.integer("completion_tokens")


def _scores(metrics: dict[str, float]) -> dict[str, float]:
    return {f"{TOOL}: {name}": value for name, value in metrics.items()}


def _metadata(files: Files, file: Path, number: int) -> dict:
    value = Fields(files.json(file), files.name(file))
    islands = value.get("islands", list, "an array of arrays of program ids", default=[])
    for i, _ in enumerate(islands):
        Fields({"island": islands[i]}, value.file, f"islands[{i}]").strings("island")
    return {
        "checkpoint": number,
        "last_iteration": value.integer("last_iteration"),
        "islands": islands,
        "archive": value.strings("archive"),
        "best_program_id": value.text("best_program_id"),
        "island_best_programs": [
            i for i in value.get("island_best_programs", list, "an array", default=[]) if isinstance(i, str)
        ],
    }


def _trace(files: Files, file: Path, programs: dict[str, Program], source: Source) -> None:
    """Children the trace names: each one's parent as traced; a child no checkpoint kept, from the trace."""
    for number, row in files.lines(file):
        entry = Fields(row, f"{files.name(file)}, line {number}")
        child, parent = entry.text("child_id", optional=False), entry.text("parent_id")
        if child in programs:
            if programs[child].parent not in (None, parent):
                raise SourceError(
                    entry.file, f"parent {parent} here, {programs[child].parent} in a checkpoint", "parent_id"
                )
            continue
        code = entry.text("child_code")
        if code is None:
            source.missing.append(
                f"program {child}: named by the trace, its code not kept (include_code off)"
            )
            continue
        metadata = entry.object("metadata")
        call = Call(user=None, response=entry.text("llm_response"))
        prompt = entry.object("prompt")
        call.user, call.system = prompt.text("user"), prompt.text("system")
        _usage(call, metadata.object("token_usage"), metadata.text("llm_model"))
        programs[child] = Program(
            id=child,
            code=code,
            file=entry.file,
            sha256=files.read[files.name(file)][0],
            parent=parent,
            island=entry.integer("island_id"),
            call=call,
            scores=_scores(entry.scores("child_metrics")),
            facts={
                "iteration_found": entry.integer("iteration"),
                "generation": entry.integer("generation"),
                "timestamp": entry.number("timestamp"),
                "changes": metadata.text("changes"),
                "evolution_mode": metadata.text("evolution_mode"),
                "checkpoints": [],
            },
        )


def _failures(files: Files, file: Path):
    for number, row in files.lines(file):
        entry = Fields(row, f"{files.name(file)}, line {number}")
        prompt = entry.object("prompt")
        call = Call(
            user=prompt.text("user"), system=prompt.text("system"), response=entry.text("llm_response")
        )
        _usage(call, entry.object("token_usage"), None)
        yield Attempt(
            file=entry.file,
            error=entry.text("error") or "",
            call=call,
            parent=entry.text("parent_id"),
            facts={
                "iteration": entry.integer("iteration"),
                "evolution_mode": entry.text("evolution_mode"),
                "island": entry.integer("island_id"),
            },
        )
