"""What a ShinkaEvolve run keeps beside its programs: the evolved system prompts of `prompts.sqlite` (with
prompt evolution on: `system_prompts`, each with its parent prompt, the model call that wrote it and the
programs whose call sent it), and the program database's `attempt_log` and `generation_event_log` tables
(failed proposals, generation bookkeeping), which become the run's `shinka_attempt` and `shinka_generation`
events where the database has them."""

from provenance.sources.program import Call, Program, Source, SystemPrompt
from provenance.sources.reading import Fields, SourceError
from provenance.sources.tables import Database

PROMPT_COLUMNS = ("id", "prompt_text", "parent_id", "generation", "patch_type", "timestamp", "metadata")
PROMPT_FACTS = ("program_generation", "program_count", "correct_program_count", "fitness")
LOGS = {  # table → (event kind, columns)
    "attempt_log": ("shinka_attempt", ("id", "generation", "stage", "status", "details", "created_at")),
    "generation_event_log": (
        "shinka_generation",
        ("id", "generation", "status", "source_job_id", "details", "created_at"),
    ),
}


def read(database: Database, source: Source) -> None:
    """Each row of the log tables the database has, as an event about the program it names (if any)."""
    for table, (kind, columns) in LOGS.items():
        for number, row in enumerate(database.rows(table, columns, must=False), 1):
            where = database.where(table, number)
            database.json_columns(row, where, ("details",))
            value = Fields(row, where)
            details = value.object("details")
            payload = {
                "table": table,
                "row": value.integer("id"),
                "generation": value.integer("generation"),
                "status": value.text("status"),
                "created_at": value.number("created_at"),
                **({"stage": value.text("stage")} if "stage" in columns else {}),
                **({"source_job_id": value.text("source_job_id")} if "source_job_id" in columns else {}),
                "details": details.value,
            }
            source.events.append((kind, payload, details.text("parent_id")))


def system_prompts(database: Database, programs: list[Program]) -> list[SystemPrompt]:
    """The prompts, parents first; each linked to the programs that name it, and they to it."""
    found: dict[str, SystemPrompt] = {}
    optional = ("name", "description", "program_ids", *PROMPT_FACTS)
    for number, row in enumerate(database.rows("system_prompts", PROMPT_COLUMNS, optional=optional), 1):
        where = database.where("system_prompts", number)
        database.json_columns(row, where, ("metadata", "program_ids"))
        prompt = _prompt(Fields(row, where), database.sha256)
        if prompt.id in found:
            raise SourceError(where, f"system prompt {prompt.id} appears twice", "id")
        found[prompt.id] = prompt
    _link(found, programs)
    return _ordered(found)


def _prompt(row: Fields, sha256: str) -> SystemPrompt:
    metadata = row.object("metadata")
    prompt = SystemPrompt(
        id=row.text("id", optional=False),
        text=row.text("prompt_text", optional=False),
        file=row.file,
        sha256=sha256,
        parent=row.text("parent_id"),
        programs=row.strings("program_ids"),
        facts={
            "name": row.text("name"),
            "description": row.text("description"),
            "generation": row.integer("generation"),
            "patch_type": row.text("patch_type"),
            "timestamp": row.number("timestamp"),
            **{name: row.number(name) for name in PROMPT_FACTS},
        },
    )
    llm = metadata.object("llm")
    if llm.value:
        kwargs = llm.object("llm_kwargs")
        prompt.call = Call(
            template="prompt evolution",
            model=llm.text("model_name"),
            temperature=kwargs.number("temperature"),
            max_tokens=kwargs.integer("max_tokens"),
            input_tokens=llm.integer("input_tokens"),
            output_tokens=llm.integer("output_tokens"),
            cost=llm.number("cost"),
            extra={"made system prompt": prompt.id},
        )
        if llm.integer("thinking_tokens"):
            prompt.call.extra["thinking_tokens"] = llm.integer("thinking_tokens")
    return prompt


def _link(prompts: dict[str, SystemPrompt], programs: list[Program]) -> None:
    """A program's system_prompt_id and the prompt's program_ids must agree; each fills in the other."""
    named = {}
    for prompt in prompts.values():
        for program in prompt.programs:
            if named.setdefault(program, prompt.id) != prompt.id:
                raise SourceError(
                    prompt.file, f"program {program} named by two system prompts", "program_ids"
                )
    for program in programs:
        said = named.get(program.id)
        if program.system_prompt is None:
            program.system_prompt = said
        elif said not in (None, program.system_prompt):
            raise SourceError(
                program.file,
                f"program {program.id}: system prompt {program.system_prompt} here, {said} in prompts.sqlite",
                "system_prompt_id",
            )
        if program.system_prompt is None:
            continue
        if program.system_prompt not in prompts:
            program.missing.append(f"system prompt {program.system_prompt}: not in prompts.sqlite")
        elif program.id not in prompts[program.system_prompt].programs:
            prompts[program.system_prompt].programs.append(program.id)


def _ordered(prompts: dict[str, SystemPrompt]) -> list[SystemPrompt]:
    out: list[SystemPrompt] = []
    done: set[str] = set()
    for start in prompts.values():
        chain, seen = [], set()
        prompt = start
        while prompt is not None and prompt.id not in done:
            if prompt.id in seen:
                raise SourceError(prompt.file, f"system prompt {prompt.id} is its own ancestor", "parent_id")
            seen.add(prompt.id)
            chain.append(prompt)
            prompt = prompts.get(prompt.parent) if prompt.parent else None
        for prompt in reversed(chain):
            done.add(prompt.id)
            out.append(prompt)
    return out
