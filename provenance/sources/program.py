"""What a source's reader hands to the recorder: programs, calls and events in the source's own ids, with
what the source did not record left empty (None), never guessed."""

from dataclasses import dataclass, field


@dataclass
class Call:
    """One request to a model and its answer, as the source kept it."""

    user: str | None = None  # the prompt's text (None: not kept)
    system: str | None = None
    template: str = ""  # the source's name for the prompt template
    response: str | None = None
    model: str | None = None  # None: the source does not say
    provider: str = ""
    server: str = ""  # host only
    temperature: float | None = None
    max_tokens: int | None = None
    input_tokens: int | None = None
    output_tokens: int | None = None
    cost: float | None = None
    price_table: str = ""  # whose prices the cost came from
    extra: dict = field(default_factory=dict)  # other facts of the call the source kept


@dataclass
class Program:
    id: str
    code: str
    file: str  # where it was read (relative to the source)
    sha256: str  # of that file
    parent: str | None = None
    inspirations: list[str] = field(default_factory=list)
    copy_of: str | None = None  # a copy onto another island (migration): the program copied
    island: int | None = None
    call: Call | None = None  # None: no model call produced it (an initial program, a copy)
    scores: dict[str, float] = field(default_factory=dict)  # named as the tool names them
    facts: dict = field(default_factory=dict)  # what else the source says about it (generation, …)
    missing: list[str] = field(default_factory=list)  # what the source does not say about it
    system_prompt: str | None = None  # the source's id of the system prompt its call sent (SystemPrompt)


@dataclass
class SystemPrompt:
    """A system prompt the tool evolved (or started from), in the source's id; `call` is the model call that
    wrote it where the source kept one (its usage, not its request)."""

    id: str
    text: str
    file: str
    sha256: str
    parent: str | None = None
    programs: list[str] = field(default_factory=list)  # the programs whose call sent it, as the source says
    call: Call | None = None
    facts: dict = field(default_factory=dict)


@dataclass
class Attempt:
    """A model call that produced no program (the tool refused its answer): kept, with why."""

    file: str
    error: str
    call: Call
    parent: str | None = None
    facts: dict = field(default_factory=dict)


@dataclass
class Source:
    tool: str  # "openevolve", "shinka"
    version: str  # of the tool that wrote the files, as far as they say (or as given)
    name: str  # what was given (a directory or file name)
    programs: list[Program] = field(default_factory=list)
    attempts: list[Attempt] = field(default_factory=list)
    prompts: list[SystemPrompt] = field(default_factory=list)  # parents before children
    events: list[tuple[str, dict, str | None]] = field(default_factory=list)  # (kind, payload, program id)
    missing: list[str] = field(default_factory=list)  # what this source cannot tell, for the whole run
    problems: list[str] = field(default_factory=list)  # the tool's metric names
