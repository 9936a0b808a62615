"""The engine interface: a Step in (island, parents, a reproducible RNG), a Proposal out."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Protocol

from provenance.models import Agent, Candidate, LLMCall, Run


@dataclass
class Step:
    run: Run
    number: int  # the step's index in the run: its RNG and its record derive from it
    island: int
    parents: list[Candidate]  # sampled from the island, sorted ascending by score (FunSearch's order)
    rng: random.Random
    room: int | None = None  # candidates the run's budget still has room for (None: ask the records)


@dataclass
class Proposal:
    """A program and what its record needs: who made it, by which activity, from which parents."""

    source: str
    agent: Agent
    activity: str
    parents: list[tuple[Candidate, str, str]] = field(default_factory=list)  # (candidate, role, slot)
    params: dict = field(default_factory=dict)
    llm_call: LLMCall | None = None  # an LLM engine records its prompt and call first


class Engine(Protocol):
    name: str
    stopped: str  # why the engine can propose nothing more ("" while it can): a cap, a rejected request
    notice: str  # something the run's state should say while the run goes on ("" for nothing)
    usage: object | None  # an LLM engine's calls, tokens and cost (with .counters()), else None

    def propose(self, step: Step) -> Proposal | list[Proposal]:
        """One proposal, or several (an LLM: one per sample; none when every call failed). Called before
        the step's record transaction, so slow work (model calls) holds no lock; records made here (a
        prompt, calls) are written as they happen, and the candidates then join the step's transaction."""
        ...

    def starting_population(self, run: Run, size: int, rng: random.Random) -> list[Proposal]: ...
