"""A ShinkaEvolve run as its results directory holds it: the SQLite program database (`programs.sqlite`, or
`evolution_db.sqlite` in older runs) and, where present, the per-attempt files `gen_N/attempts/…/patch_K/`
(`metadata.json`, `llm_response.txt`), of which the failed ones are brought in as calls that made no program;
with prompt evolution on, `prompts.sqlite` (the evolved system prompts: shinka_logs); the database's attempt
and generation logs, where it has them, as events.

Shinka keeps a program's parent, the inspirations shown beside it (archive and top-k), the island copies and
migrations, and the model call that wrote it (prompt, system message, answer, model, tokens, cost).
"""

from pathlib import Path
from urllib.parse import urlparse

from provenance.sources import shinka_logs as logs
from provenance.sources.program import Attempt, Call, Program, Source
from provenance.sources.reading import Fields, Files, SourceError
from provenance.sources.tables import Database

TOOL = "shinka"
DATABASES = ("programs.sqlite", "evolution_db.sqlite")
COLUMNS = (
    "id",
    "code",
    "parent_id",
    "archive_inspiration_ids",
    "top_k_inspiration_ids",
    "generation",
    "timestamp",
    "combined_score",
    "public_metrics",
    "private_metrics",
    "text_feedback",
    "correct",
    "metadata",
    "migration_history",
    "island_idx",
)
JSON_COLUMNS = (
    "archive_inspiration_ids",
    "top_k_inspiration_ids",
    "public_metrics",
    "private_metrics",
    "metadata",
    "migration_history",
)
PROMPTS = "prompts.sqlite"
NOT_KEPT = [
    "the prompt of a failed attempt: Shinka keeps only its answer (llm_response.txt)",
    "the tool's version: not in the files (given with --tool-version, if at all)",
]


def read(path: Path, version: str = "") -> tuple[Source, Files]:
    if path.is_dir():
        found = [path / name for name in DATABASES if (path / name).is_file()]
        if not found:
            raise SourceError(
                path.name, f"no {' or '.join(DATABASES)} here (is this a Shinka results directory?)"
            )
        root, database = path, found[0]
    else:
        root, database = path.parent, path
    files = Files(root)
    opened = _closed(files, database)
    source = Source(TOOL, version, path.name, missing=list(NOT_KEPT))
    source.programs = _programs(opened)
    logs.read(opened, source)
    prompts = database.with_name(PROMPTS)
    if prompts.exists() or prompts.is_symlink():
        source.prompts = logs.system_prompts(_closed(files, prompts), source.programs)
    else:
        source.missing.append(f"the evolved system prompts: no {PROMPTS} (prompt evolution off)")
    source.problems = sorted({name for p in source.programs for name in p.scores})
    if path.is_dir():
        source.attempts = list(_attempts(files, root))
    for program in source.programs:
        for move in program.facts.pop("migrations"):
            source.events.append(("migration", move, program.id))
    return source, files


def _closed(files: Files, database: Path) -> Database:
    for log in ("-wal", "-journal"):
        if database.with_name(database.name + log).exists():
            raise SourceError(
                files.name(database),
                f"{database.name}{log} is beside it: the run is still open "
                "(or ended without closing its database); close it, then import",
            )
    return Database(files, database)


def _programs(database: Database) -> list[Program]:
    programs = []
    rows = database.rows("programs", COLUMNS, optional=("system_prompt_id",))
    for number, row in enumerate(rows, 1):
        where = database.where("programs", number)
        database.json_columns(row, where, JSON_COLUMNS)
        programs.append(_program(Fields(row, where), database.sha256))
    return programs


def _program(row: Fields, sha256: str) -> Program:
    metadata = row.object("metadata")
    program = Program(
        id=row.text("id", optional=False),
        code=row.text("code", optional=False),
        file=row.file,
        sha256=sha256,
        parent=row.text("parent_id"),
        island=row.integer("island_idx"),
        inspirations=row.strings("archive_inspiration_ids") + row.strings("top_k_inspiration_ids"),
        system_prompt=row.text("system_prompt_id"),
    )
    if metadata.boolean("_is_island_copy"):
        program.copy_of = metadata.text("_original_program_id")
    correct = row.get("correct", (int, bool), "0 or 1 (correct)")
    program.scores = (
        {f"{TOOL}: combined_score": row.number("combined_score")}
        if row.value["combined_score"] is not None
        else {}
    )
    program.scores.update({f"{TOOL}: public.{k}": v for k, v in row.scores("public_metrics").items()})
    program.scores.update({f"{TOOL}: private.{k}": v for k, v in row.scores("private_metrics").items()})
    migrations = row.get("migration_history", list, "an array of migrations", default=[])
    program.facts = {
        "generation": row.integer("generation"),
        "timestamp": row.number("timestamp"),
        "correct": None if correct is None else bool(correct),
        "text_feedback": row.text("text_feedback"),
        "patch_type": metadata.text("patch_type"),
        "patch_name": metadata.text("patch_name"),
        "api_costs": metadata.number("api_costs"),
        "migrations": [
            Fields(move, row.file, f"migration_history[{i}]").value for i, move in enumerate(migrations)
        ],
    }
    result = metadata.object("llm_result")
    if result.value:
        program.call = _call(result, metadata)
    elif program.parent is not None and program.copy_of is None:
        program.missing.append("the model call: no llm_result in its metadata")
    return program


def _call(result: Fields, metadata: Fields) -> Call:
    kwargs = result.object("kwargs")
    call = Call(
        user=result.text("msg"),
        system=result.text("system_msg"),
        response=result.text("content"),
        template=metadata.text("patch_type") or "",
        model=result.text("model_name"),
        temperature=kwargs.number("temperature"),
        max_tokens=kwargs.integer("max_tokens"),
        input_tokens=result.integer("input_tokens"),
        output_tokens=result.integer("output_tokens"),
        cost=result.number("cost"),
    )
    call.provider, call.server = _where(metadata.text("model_name") or "")
    thinking = result.integer("thinking_tokens")
    if thinking:
        call.extra["thinking_tokens"] = thinking
    return call


def _where(model_name: str) -> tuple[str, str]:
    """Shinka names a local endpoint `local/MODEL@URL`: its host, never the URL (which may carry a key)."""
    if model_name.startswith("local/") and "@" in model_name:
        return "local_openai", urlparse(model_name.split("@", 1)[1]).hostname or ""
    return "", ""


def _attempts(files: Files, root: Path):
    for generation in sorted(root.glob("gen_*/attempts")):
        for file in sorted(generation.rglob("metadata.json")):
            value = Fields(files.json(file), files.name(file))
            if value.boolean("success") is not False:
                continue  # a successful attempt is the program's own call, in the database
            response = file.parent / "llm_response.txt"
            call = Call(
                response=files.text(response) if response.is_file() else None,
                model=value.text("llm_model"),
                cost=value.number("llm_cost"),
            )
            yield Attempt(
                file=value.file,
                error=value.text("error_msg") or "",
                call=call,
                facts={
                    "generation": value.integer("generation"),
                    "patch_name": value.text("patch_name"),
                    "patch_attempt": value.integer("patch_attempt"),
                    "timestamp": value.text("timestamp"),
                },
            )
