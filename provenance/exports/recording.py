"""Re-recording an archive's records here, through the ledger, as new runs of the importer's project.

What changes, and why (each change is listed in the run's `import` event, the last record of its chain):
- the project: the importer's, whatever the archive names (an archive cannot place records elsewhere);
- authors: a user of the archive becomes a name, "alice (imported)" (never an account of this server): a
  person agent with no account, a note's author and a run's starter left empty with the name kept in the
  record's `archived` column;
- server-side settings of a run's configuration (sandbox limits, workers, the LLM endpoint and its waits)
  are left out, so this server's own apply: an archive cannot make a later evaluation here run for minutes;
- notes on agents (shared by every project here) become notes on the new run, naming the agent;
- ids and hashes: every record gets a new id and so a new hash; `archived` keeps its hash, id and
  recorded_at in the archive (and `ids` in the import event maps archived ids to ids here).
"""

from datetime import UTC

from provenance import ledger
from provenance.canonical import sha256_hex
from provenance.chain import RECORD_TYPES
from provenance.exports import runstate
from provenance.exports.reading import ArchiveError
from provenance.membership import chain_name, chain_run, reference, run_of
from provenance.models import Agent, Import, Record, Run

# Settings of a run's configuration that belong to the server that runs it, not to the record of the run.
SERVER_SIDE = ("limits", "workers")
LLM_SERVER_SIDE = ("base_url", "timeout", "max_attempts", "backoff", "backoff_cap", "max_retry_after")
SERVER_OWN = "left out of the configuration: this server's own settings apply"
CACHED = {"agent", "run", "candidate"}  # referred to again and again; the rest is read back when needed


def imported(username: str) -> str:
    return f"{username} (imported)"


def server_side(config: dict) -> tuple[dict, list[dict]]:
    """The configuration without this server's settings, and what was left out (limits always named)."""
    kept, removed = dict(config), []
    for key in SERVER_SIDE:
        if key in kept or key == "limits":
            removed.append({"setting": key, "archived": kept.pop(key, None), "here": SERVER_OWN})
    if isinstance(kept.get("llm"), dict):
        llm = kept["llm"] = dict(kept["llm"])
        for key in LLM_SERVER_SIDE:
            if key in llm:
                removed.append({"setting": f"llm.{key}", "archived": llm.pop(key), "here": SERVER_OWN})
    return kept, removed


class Recorder:
    """Writes each checked record (its values in the archive's terms) as a record here."""

    def __init__(self, project, user, users: dict[int, str], projects: dict[int, str]):
        self.project, self.user = project, user
        self.users, self.projects = users, projects  # archived id → username / slug
        self.runs: dict[int, Run] = {}  # archived run id → the new run
        self.pks: dict[tuple[str, int], int] = {}  # (kind, archived id) → id here
        self.run_of: dict[tuple[str, int], int] = {}  # (kind, archived id) → archived run
        self.cache: dict[tuple[str, int], object] = {}
        self.authors: dict[str, str] = {}  # archived username → imported name
        self.people: list[dict] = []  # person agents: archived name → name here
        self.settings: dict[int, list[dict]] = {}  # archived run → settings left out
        self.origin: dict[int, int] = {}  # archived run → archived project
        self.on_agents: list[tuple[int, dict]] = []  # notes on agents, written at the end (on the run)
        self.moved: list[dict] = []
        self.added: dict[str, int] = {}
        self.held = None  # (run, its ledger.batch) while that run's records are written

    def hold(self, run: Run) -> None:
        """Hold the run's chain across its records: one lock, one head update (ledger.batch)."""
        if self.held is not None and self.held[0] == run.pk:
            return
        self.release()
        batch = ledger.batch(run)
        batch.__enter__()
        self.held = (run.pk, batch)

    def release(self, *exc_info) -> None:
        """Let go of the held chain; with an exception's (type, value, traceback), as it goes by: the
        chain then writes nothing more, and forgets that it is held."""
        if self.held is not None:
            batch, self.held = self.held[1], None
            batch.__exit__(*(exc_info or (None, None, None)))

    def record(self, archived: Record, values: dict) -> None:
        """One checked record: `archived` as the archive has it (its id and references the archive's ids),
        `values` its columns."""
        kind, archived_id = reference(archived)
        run = chain_run(archived)
        if kind == "annotation" and run is None:  # a note on an agent, on the global chain
            self.on_agents.append((archived_id, values))  # the run they will be on may not exist yet
            return
        if run is not None:
            self.hold(self.runs[run])
        here = getattr(self, kind)(archived_id, values)
        self.keep(kind, archived_id, here, run_of(archived))

    def keep(self, kind: str, archived_id: int, here, run: int | None) -> None:
        self.pks[kind, archived_id] = here.pk
        if run is not None:
            self.run_of[kind, archived_id] = run
        if kind in CACHED:
            self.cache[kind, archived_id] = here
        self.added[kind] = self.added.get(kind, 0) + 1

    def get(self, kind: str, archived_id: int | None):
        if archived_id is None:
            return None
        found = self.cache.get((kind, archived_id))
        return found or RECORD_TYPES[kind].objects.get(pk=self.pks[kind, archived_id])

    @staticmethod
    def archived(values: dict, archived_id: int, **changed) -> dict:
        when = values["recorded_at"].astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        return {"hash": values["hash"], "id": archived_id, "recorded_at": when, **changed}

    def author(self, user_id: int | None, archived, key: str) -> str | None:
        """The imported name of an archived user, or the one an earlier import recorded (a re-import)."""
        if user_id is not None:
            username = self.users[user_id]
            self.authors[username] = imported(username)
            return self.authors[username]
        earlier = archived.get(key) if isinstance(archived, dict) else None
        return earlier if isinstance(earlier, str) and earlier else None

    # One method per record type ---------------------------------------------------------------------------

    def agent(self, archived_id: int, v: dict) -> Agent:
        if v["kind"] != Agent.Kind.PERSON:
            if v["user_id"] is not None:
                raise ArchiveError(None, "only a person agent is a user account", "agent.user_id")
            describing = ("provider", "model", "engine", "operator", "version", "params", "citation")
            return ledger.record_agent(
                v["kind"], v["name"], identifier=v["identifier"], **{k: v[k] for k in describing}
            )
        if v["user_id"] is not None:
            username, name = self.users[v["user_id"]], imported(v["name"])
        elif v["identifier"].startswith(ledger.IMPORTED):  # imported before: keep its name as it is
            username, name = v["identifier"][len(ledger.IMPORTED) :], v["name"]
        else:
            raise ArchiveError(None, "a person agent is a user account or an imported name", "agent.user_id")
        agent = ledger.imported_person_agent(name, username)
        self.people.append({"archived": v["name"], "here": agent.name})
        return agent

    def run(self, archived_id: int, v: dict) -> Run:
        config, self.settings[archived_id] = server_side(v["config"])
        self.origin[archived_id] = v["project_id"]
        starter = self.author(v["started_by_id"], v["archived"], "started_by")
        run = ledger.start_run(
            self.project,
            family=v["family"],
            problems=v["problems"],
            engine=v["engine"],
            config=config,
            random_seed=v["random_seed"],
            code_version=v["code_version"],
            title=v["title"],
            archived=self.archived(v, archived_id, **({"started_by": starter} if starter else {})),
        )
        self.runs[archived_id] = run
        return run

    def prompt(self, archived_id: int, v: dict):
        slots = [(slot["slot"], self.get("candidate", slot["candidate"])) for slot in v["slots"]]
        return ledger.record_prompt(
            self.runs[v["run_id"]],
            template_name=v["template_name"],
            template_version=v["template_version"],
            text=v["text"],
            slots=slots,
            archived=self.archived(v, archived_id),
        )

    def llmcall(self, archived_id: int, v: dict):
        fields = {name: v[name] for name in ledger.LLM_CALL_FIELDS if name != "archived"}
        return ledger.record_llm_call(
            self.runs[v["run_id"]],
            agent=self.get("agent", v["agent_id"]),
            prompt=self.get("prompt", v["prompt_id"]),
            archived=self.archived(v, archived_id),
            **fields,
        )

    def candidate(self, archived_id: int, v: dict):
        if sha256_hex(v["source"]) != v["source_sha256"]:
            raise ArchiveError(None, "not the SHA-256 of the candidate's source", "candidate.source_sha256")
        return ledger.record_candidate(
            self.runs[v["run_id"]],
            source=v["source"],
            activity=v["activity"],
            agent=self.get("agent", v["agent_id"]),
            llm_call=self.get("llmcall", v["llm_call_id"]),
            params=v["params"],
            island=v["island"],
            archived=self.archived(v, archived_id),
        )

    def edge(self, archived_id: int, v: dict):
        return ledger.record_edge(
            self.get("candidate", v["child_id"]),
            self.get("candidate", v["parent_id"]),
            v["role"],
            slot=v["slot"],
            activity=v["activity"],
            archived=self.archived(v, archived_id),
        )

    def evaluation(self, archived_id: int, v: dict):
        fields = {name: v[name] for name in ledger.EVALUATION_FIELDS if name != "archived"}
        candidate = self.get("candidate", v["candidate_id"])
        return ledger.record_evaluation(candidate, archived=self.archived(v, archived_id), **fields)

    def runevent(self, archived_id: int, v: dict):
        event = (v["kind"], v["payload"], self.get("candidate", v["candidate_id"]))
        (recorded,) = ledger.record_events(
            self.runs[v["run_id"]], [event], archived=self.archived(v, archived_id)
        )
        return recorded

    def annotation(self, archived_id: int, v: dict, *, on_run: Run | None = None):
        author = self.author(v["author_id"], v["archived"], "author")
        if author is None:
            raise ArchiveError(None, "a note has an author", "annotation.author_id")
        changed = {"author": author}
        target = self.get(v["target_type"], v["target_id"])
        if on_run is not None:  # a note on a shared agent: kept, but on this import's own run
            changed["target"] = {"agent": target.hash, "name": target.name}
            self.moved.append({"archived": v["hash"], "agent": target.name})
            target = on_run
        previous = self.get("annotation", v["previous_id"])
        return ledger.annotate(
            target, v["body"], None, previous=previous, archived=self.archived(v, archived_id, **changed)
        )

    def state(self, run: int, values: dict) -> None:
        """The run's archived state, for the new run: written by the room that keeps run state."""
        values = {k: v for k, v in values.items() if k != "run_id"}
        best = values.pop("best_candidate_id")
        values["best_candidate_id"] = None if best is None else self.pks["candidate", best]
        runstate.restore(self.runs[run], values)

    # The end: notes on agents, then each run's import event ----------------------------------------------

    def finish(self, header: dict, sha256: str, name: str, records: int) -> list[Import]:
        first_run, first = next(iter(self.runs.items()))
        self.hold(first)
        for archived_id, values in self.on_agents:
            note = self.annotation(archived_id, values, on_run=first)
            self.keep("annotation", archived_id, note, first_run)
        earlier = list(Import.objects.filter(archive_sha256=sha256).select_related("imported_by"))
        for archived_run, run in self.runs.items():
            payload = self.payload(archived_run, header, sha256, name, records)
            self.hold(run)
            (event,) = ledger.record_events(run, [("import", payload, None)])
            Import.objects.create(
                run=run,
                project=self.project,
                imported_by=self.user,
                archive_sha256=sha256,
                archive_name=name[:255],
                archived_run=archived_run,
                claimed_heads=header["chain_heads"],
                archived_records=records,
                record=event,
            )
        self.release()
        return earlier

    def payload(self, archived_run: int, header: dict, sha256: str, name: str, records: int) -> dict:
        """What the import of one archived run changed, as the last record of the new run's chain."""
        ids: dict[str, dict[str, int]] = {}
        for (kind, archived_id), pk in self.pks.items():
            if kind == "agent" or self.run_of.get((kind, archived_id)) == archived_run:
                ids.setdefault(kind, {})[str(archived_id)] = pk
        origin = self.origin[archived_run]
        first = next(iter(self.runs)) == archived_run
        return {
            "imported_by": {"id": self.user.pk, "username": self.user.get_username()},
            "archive": {
                "sha256": sha256,
                "name": name,
                "records": records,
                "run": archived_run,
                "partial": chain_name(archived_run) in (header["partial"] or []),
                "exported_at": header["exported_at"],
                "claimed_chain_heads": header["chain_heads"],
            },
            "changes": {
                "project": {
                    "archived": {"id": origin, "slug": self.projects[origin]},
                    "here": {"id": self.project.pk, "slug": self.project.slug},
                },
                "authors": [{"archived": user, "here": here} for user, here in sorted(self.authors.items())],
                "person_agents": self.people,
                "server_settings": self.settings[archived_run],
                "notes_on_agents": self.moved if first else [],
                "ids": ids,
                "hashes": "every record has a new hash here; its `archived` column keeps the archive's",
            },
        }
