"""The program database's log on the record: each of its events a RunEvent of the run, in order (the log
`ProgramsDatabase.replay` reads back on resume), and each program it moves between islands a copy.

An island reset re-founds an emptied island with a surviving island's best; a migration copies an island's
best to the next island. The database (pure, as FunSearch's) only registers the same program on another
island. The record makes each move what it is: a candidate of its own, the same source on the island it went
to, produced by the database's activity (island_reset, migration) and joined to what it copies by an edge of
that role (reset_founder, migration_source), written in the transaction of the event. Children bred on that
island are then the copy's, so a lineage shows where a program travelled. A copy is not a proposal: it has no
evaluation of its own (the database registered it with its program's scores), no job, no share of the budget.
"""

from __future__ import annotations

from collections.abc import Callable

from evolution import database as programs
from provenance import ledger
from provenance.models import Activity, Agent, Candidate, Edge, Run, RunEvent

MOVES = {
    "reset": (Activity.ISLAND_RESET, Edge.Role.RESET_FOUNDER),
    "migration": (Activity.MIGRATION, Edge.Role.MIGRATION_SOURCE),
}
COPIES = tuple(activity for activity, _ in MOVES.values())  # the activities of candidates that are copies
VERSION = "1"


class SearchLog:
    """How much of the database's log is on the record, and which copy stands for a program on an island."""

    def __init__(self, run: Run):
        self.run = run
        self.recorded = 0  # events of the database already written
        self._copies: dict[tuple[int, int], Candidate] = {}  # (island, program id) → the copy there
        self._agents: dict[str, Agent] = {}

    @classmethod
    def of_run(cls, run: Run) -> tuple[SearchLog, list[dict]]:
        """The log as the run's records hold it, and its events for the database to replay."""
        log = cls(run)
        events = [event.payload for event in RunEvent.objects.filter(run=run).order_by("seq")]
        log.recorded = len(events)
        for copy in Candidate.objects.filter(run=run, activity__in=COPIES).order_by("seq"):
            log._place(copy)
        return log, events

    def standing_for(self, island: int, candidate: Candidate) -> Candidate:
        """The candidate as it stands on `island`: its copy there, if the database moved it there."""
        return self._copies.get((island, candidate.pk), candidate)

    def record(self, db: programs.ProgramsDatabase, candidate_of: Callable[[int | None], Candidate | None]
               ) -> None:
        """The database's events not yet written, each move among them followed by its copy."""
        new = db.events[self.recorded:]
        if not new:
            return
        about = [candidate_of(_program_of(event)) for event in new]
        ledger.record_events(self.run, [(event.type, programs.event_to_dict(event), candidate)
                                        for event, candidate in zip(new, about, strict=True)])
        self.recorded += len(new)
        for event, candidate in zip(new, about, strict=True):
            if event.type in MOVES:
                self._copy(event, candidate)

    def _copy(self, event, original: Candidate) -> None:
        activity, role = MOVES[event.type]
        moved_from = self.standing_for(event.source_island, original)  # a copy itself, if it had moved there
        copy = ledger.record_candidate(
            self.run, source=original.source, activity=activity, agent=self._agent(event.type),
            parents=[(moved_from, role)], params={"copy_of": original.pk, "from_island": event.source_island},
            island=event.island,
        )
        self._place(copy)

    def _place(self, copy: Candidate) -> None:
        program = copy.params.get("copy_of") if isinstance(copy.params, dict) else None
        if program is None:  # a copy from elsewhere (an import of a synthetic run): not this database's
            return
        if copy.activity == Activity.ISLAND_RESET:  # the island was emptied: copies that stood there are gone
            self._copies = {key: c for key, c in self._copies.items() if key[0] != copy.island}
        self._copies[(copy.island, program)] = copy

    def _agent(self, move: str) -> Agent:
        if move not in self._agents:
            self._agents[move] = ledger.algorithm_agent("programs_database", move, version=VERSION)
        return self._agents[move]


def _program_of(event) -> int | None:
    program = getattr(event, "program_id", None)
    return getattr(event, "founder_program_id", None) if program is None else program
