"""Recording a source's run here, through the ledger: a new run of the importer's project, all or nothing.

The import record (the run's `import` event: the tool, its version, every file read with its SHA-256, what
the source cannot tell) is the run's first record after the run itself; each candidate's `archived` column
names it (`imported_from`) with the program's id, file and file hash in the source. Then the programs,
parents before children, each with the model call that wrote it where the source kept one, and typed edges
(parent, inspiration, migration_source); then the calls that made no program, and the source's events.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import DataError, IntegrityError, transaction

from provenance import ledger
from provenance.errors import RecordError
from provenance.exports.loader import check_owner
from provenance.models import Activity, Agent, Candidate, Edge, Import, Project, Run
from provenance.sources.program import Attempt, Call, Program, Source, SystemPrompt
from provenance.sources.reading import Files, SourceError

MAX_COST = Decimal("999999")  # dollars per call: far beyond any; the column holds 14 digits, 8 decimals
CENT = Decimal("0.00000001")


@dataclass
class Report:
    run: Run
    earlier: Import | None = None  # the same files were imported before into this project: nothing added
    added: dict[str, int] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)


def record(
    source: Source,
    files: Files,
    *,
    project: Project,
    user,
    family: str = "",
    problems: list[str] | None = None,
) -> Report:
    check_owner(project, user)
    earlier = (
        Import.objects.filter(project=project, archive_sha256=files.digest).select_related("run").first()
    )
    if earlier is not None:
        return Report(earlier.run, earlier)
    order = ordered(source.programs)
    known = {program.id for program in source.programs}
    for program in source.programs:
        program.missing += [
            f"{role} {other}: not in the source's files"
            for other, role in _references(program)
            if other not in known
        ]
    with transaction.atomic():
        writer = _Writer(source, files, project, user, family, problems or source.problems or [source.tool])
        for prompt in source.prompts:
            _blamed(prompt.file, writer.system_prompt, prompt)
        for program in order:
            _blamed(program.file, writer.program, program)
        for attempt in source.attempts:
            _blamed(attempt.file, writer.attempt, attempt)
        _blamed(source.name, writer.events)
    return Report(writer.run, None, writer.added, writer.missing)


def _blamed(file: str, step, *args):
    """A record the ledger refuses becomes a SourceError naming the file (the transaction then undoes all)."""
    try:
        return step(*args)
    except RecordError as error:
        raise SourceError(file, str(error)) from None
    except (IntegrityError, DataError) as error:
        raise SourceError(file, f"the database refused it ({str(error).splitlines()[0]})") from None


def ordered(programs: list[Program]) -> list[Program]:
    """Parents (and inspirations, and the programs copied) before the programs that name them."""
    by_id: dict[str, Program] = {}
    for program in programs:
        if program.id in by_id:
            raise SourceError(program.file, f"program {program.id} appears twice", "id")
        by_id[program.id] = program
    done: set[str] = set()
    out: list[Program] = []
    for start in programs:
        stack, path = [(start, False)], set()
        while stack:
            program, expanded = stack.pop()
            if program.id in done:
                continue
            if expanded:
                path.discard(program.id)
                done.add(program.id)
                out.append(program)
                continue
            if program.id in path:
                raise SourceError(program.file, f"program {program.id} is its own ancestor", "parent_id")
            path.add(program.id)
            stack.append((program, True))
            for other in _named(program):
                if other in by_id and other not in done:
                    if other in path:
                        raise SourceError(
                            program.file, f"program {program.id} is its own ancestor", "parent_id"
                        )
                    stack.append((by_id[other], False))
    return out


def _named(program: Program) -> list[str]:
    return [other for other, _ in _references(program)]


def _references(program: Program) -> list[tuple[str, str]]:
    named = [(program.parent, Edge.Role.PARENT), (program.copy_of, Edge.Role.MIGRATION_SOURCE)]
    named += [(i, Edge.Role.INSPIRATION) for i in dict.fromkeys(program.inspirations)]
    return [(other, role) for other, role in named if other]


class _Writer:
    def __init__(self, source: Source, files: Files, project, user, family: str, problems: list[str]):
        self.source, self.tool = source, source.tool
        self.version = source.version or "not recorded"
        self.candidates: dict[str, Candidate] = {}
        self.added: dict[str, int] = {}
        self.missing = list(source.missing)
        self.agents: dict[tuple, Agent] = {}
        self.prompts: dict[str, int] = {}  # the source's system prompt id → its prompt record
        describing = {"tool": self.tool, "version": self.version, "name": source.name, "digest": files.digest}
        self.run = ledger.start_run(
            project,
            family=family,
            problems=problems,
            engine=self.tool,
            config={"source": describing},
            title=f"{self.tool}: {source.name}"[:200],
        )
        payload = {
            "imported_by": {"id": user.pk, "username": user.get_username()},
            "source": {**describing, "files": files.listing()},
            "recovered": {
                "programs": len(source.programs),
                "calls_without_program": len(source.attempts),
                "system_prompts": len(source.prompts),
                "events": len(source.events),
            },
            "missing": self.missing
            + [f"program {p.id}: {gap}" for p in source.programs for gap in p.missing],
            "scores": "each candidate's params.scores, as the tool computed and named them; not ours",
        }
        (self.event,) = ledger.record_events(self.run, [("import", payload, None)])
        Import.objects.create(
            run=self.run,
            project=project,
            imported_by=user,
            archive_sha256=files.digest,
            archive_name=f"{self.tool}:{source.name}"[:255],
            archived_run=0,
            claimed_heads=[],
            archived_records=len(source.programs),
            record=self.event,
        )

    def count(self, kind: str, n: int = 1) -> None:
        self.added[kind] = self.added.get(kind, 0) + n

    def agent(self, operator: str = "", call: Call | None = None) -> Agent:
        key = (operator, call.model, call.provider) if call is not None else (operator,)
        if key not in self.agents:
            if call is None:
                found = ledger.algorithm_agent(self.tool, operator, version=self.version)
            elif call.model:
                found = ledger.model_agent(call.provider, call.model)
            else:
                found = ledger.record_agent(
                    Agent.Kind.MODEL, f"unknown model ({self.tool} did not record it)", provider=call.provider
                )
            self.agents[key] = found
        return self.agents[key]

    def call(self, call: Call, outcome: dict | None = None):
        prompt = None
        if call.user is not None:
            text = call.user if call.system is None else f"system:\n{call.system}\n\nuser:\n{call.user}"
            prompt = ledger.record_prompt(
                self.run,
                template_name=f"{self.tool}:{call.template}"[:100],
                template_version=self.version[:50],
                text=text,
            )
            self.count("prompt")
        unknown = [
            name
            for name, value in (
                ("model", call.model),
                ("prompt", call.user),
                ("response", call.response),
                ("cost", call.cost),
                ("input tokens", call.input_tokens),
            )
            if value is None
        ]
        params = {
            "source": self.tool,
            **call.extra,
            **(outcome or {}),
            **({"not recorded by the source": unknown} if unknown else {}),
        }
        recorded = ledger.record_llm_call(
            self.run,
            agent=self.agent(call=call),
            prompt=prompt,
            provider_name=call.provider[:100],
            server_address=call.server[:255],
            request_temperature=call.temperature,
            request_max_tokens=call.max_tokens,
            response_text=call.response or "",
            usage_input_tokens=call.input_tokens,
            usage_output_tokens=call.output_tokens,
            cost=self.cost(call),
            price_table=f"{self.tool} {self.version}"[:100] if call.cost is not None else "",
            params=params,
        )
        self.count("llmcall")
        return recorded

    def cost(self, call: Call) -> Decimal | None:
        if call.cost is None:
            return None
        try:
            cost = Decimal(str(call.cost)).quantize(CENT)
        except InvalidOperation:
            cost = None
        if cost is None or not Decimal(0) <= cost <= MAX_COST:
            raise RecordError(f"cost {call.cost!r}: dollars from 0 to {MAX_COST}")
        return cost

    def imported_from(self, thing: Program | SystemPrompt) -> dict:
        return {
            "record": self.event.pk,
            "record_hash": self.event.hash,
            "tool": self.tool,
            "id": thing.id,
            "file": thing.file,
            "sha256": thing.sha256,
        }

    def system_prompt(self, prompt: SystemPrompt) -> None:
        """An evolved system prompt as a prompt record (its text exactly as the tool kept it); its facts, its
        parent and the programs that sent it in `archived`; the call that wrote it, where kept, names it."""
        facts = {k: v for k, v in prompt.facts.items() if v is not None}
        source = {
            **facts,
            "parent": prompt.parent,
            "parent_record": self.prompts.get(prompt.parent) if prompt.parent else None,
            "programs": prompt.programs,
        }
        recorded = ledger.record_prompt(
            self.run,
            template_name=f"{self.tool}:system prompt"[:100],
            template_version=self.version[:50],
            text=prompt.text,
            archived={"imported_from": self.imported_from(prompt), "source": source},
        )
        self.prompts[prompt.id] = recorded.pk
        self.count("prompt")
        if prompt.call is not None:
            prompt.call.extra["made system prompt"] = {"id": prompt.id, "record": recorded.pk}
            self.call(prompt.call)

    def program(self, program: Program) -> None:
        parents = self.edges(program)
        llm_call = None
        if program.system_prompt is not None:
            link = {"id": program.system_prompt, "record": self.prompts.get(program.system_prompt)}
            program.facts["system_prompt"] = link
            if program.call is not None:
                program.call.extra["system_prompt"] = link
        if program.copy_of is not None:
            activity, agent = Activity.MIGRATION, self.agent("island copy")
        elif program.call is not None:
            llm_call = self.call(program.call)
            activity, agent = Activity.LLM, llm_call.agent
        else:
            activity = Activity.IMPORT
            agent = self.agent("initial program" if program.parent is None else "unrecorded step")
        facts = {k: v for k, v in program.facts.items() if v is not None}
        params = {
            "source": {"tool": self.tool, "id": program.id, **facts},
            "scores": program.scores,
            **({"not recorded by the source": program.missing} if program.missing else {}),
        }
        imported_from = self.imported_from(program)
        self.candidates[program.id] = ledger.record_candidate(
            self.run,
            source=program.code,
            activity=activity,
            agent=agent,
            llm_call=llm_call,
            parents=parents,
            params=params,
            island=program.island,
            archived={"imported_from": imported_from},
        )
        self.count("candidate")
        self.count("edge", len(parents))

    def edges(self, program: Program) -> list[tuple]:
        """Typed edges to the programs it names that the source holds (the others are listed as missing)."""
        edges, n = [], 0
        for other, role in _references(program):
            if other in self.candidates:
                n += role == Edge.Role.INSPIRATION
                slot = f"i{n}" if role == Edge.Role.INSPIRATION else ""
                edges.append((self.candidates[other], role, slot))
        return edges

    def attempt(self, attempt: Attempt) -> None:
        call = self.call(attempt.call, {"outcome": f"no program: {attempt.error}"[:2000]})
        parent = self.candidates.get(attempt.parent) if attempt.parent else None
        payload = {
            "file": attempt.file,
            "error": attempt.error,
            "llm_call": call.pk,
            "parent": attempt.parent,
            **{k: v for k, v in attempt.facts.items() if v is not None},
        }
        ledger.record_events(self.run, [("failed_attempt", payload, parent)])
        self.count("runevent")

    def events(self) -> None:
        events = [
            (kind, payload, self.candidates.get(program) if program else None)
            for kind, payload, program in self.source.events
        ]
        ledger.record_events(self.run, events)
        self.count("runevent", len(events) + 1)  # and the import event
