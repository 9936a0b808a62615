"""Strongly-typed genetic programming (DEAP) as an engine: crossover and mutation of grammar programs."""

from __future__ import annotations

import random

from evolution import gp
from evolution.engines.base import Proposal, Step
from provenance import ledger
from provenance.models import Activity, Agent, Candidate, Run

ENGINE_VERSION = "gp-1"
# The literature agent's name for each founder (solver.literature); "Laporta rule" as before founders
# could be chosen, so runs recorded since name the same agent.
LITERATURE_NAMES = {"laporta": "Laporta rule", "kira3": "Kira-3 rule",
                    "kira3_floored": "Kira-3 rule, floored"}


class GPEngine:
    name = "gp"
    stopped = ""  # GP can always propose
    notice = ""
    usage = None

    def __init__(self, crossover_rate: float = 0.5, random_depth: tuple[int, int] = (1, 4),
                 founders: tuple[str, ...] = ("laporta",)):
        self.crossover_rate = crossover_rate
        self.random_depth = random_depth
        self.founders = tuple(gp.STARTING_RULES[name] for name in founders)
        self._agents: dict[str, Agent] = {}

    def propose(self, step: Step) -> Proposal:
        by_id = {candidate.pk: candidate for candidate in step.parents}
        breedable = [p for p in (self._individual(c) for c in step.parents) if p is not None]
        if not breedable:  # nothing in the grammar to breed from (e.g. only LLM programs): start afresh
            return self._random(step.rng)
        child = gp.vary(breedable, step.rng, crossover_rate=self.crossover_rate)
        crossed = child.operator_call.operator.startswith("crossover")
        return Proposal(
            source=child.source,
            agent=self.agent(child.operator_call.operator),
            activity=Activity.GP_CROSSOVER if crossed else Activity.GP_MUTATION,
            parents=[(by_id[ref], role, "") for ref, role in child.operator_call.parents],
            params=child.operator_call.as_record(),
        )

    def starting_population(self, run: Run, size: int, rng: random.Random) -> list[Proposal]:
        """The founders from the literature (the Laporta rule, hep-ph/0102033, unless the run named others),
        then random programs of the grammar up to `size`."""
        low, high = self.random_depth
        children = gp.starting_population(size, rng, self.founders, min_depth=low, max_depth=high)
        founders = [Proposal(
            source=rule.source,
            agent=ledger.literature_agent(LITERATURE_NAMES.get(rule.name, rule.name), rule.citation,
                                          rule.identifier),
            activity=Activity.LITERATURE,
            params=dict(child.operator_call.params),
        ) for rule, child in zip(self.founders, children, strict=False)]
        randoms = children[len(founders):]
        return founders + [self._proposal_of(child, Activity.RANDOM_INIT) for child in randoms]

    def agent(self, operator: str) -> Agent:
        if operator not in self._agents:
            self._agents[operator] = ledger.algorithm_agent(
                "gp", operator, version=ENGINE_VERSION, params={"crossover_rate": self.crossover_rate}
            )
        return self._agents[operator]

    def _random(self, rng: random.Random) -> Proposal:
        low, high = self.random_depth
        (child,) = gp.random_programs(1, rng, min_depth=low, max_depth=high)
        return self._proposal_of(child, Activity.RANDOM_INIT)

    def _proposal_of(self, child: gp.Child, activity: str) -> Proposal:
        return Proposal(child.source, self.agent(child.operator_call.operator), activity,
                        params=child.operator_call.as_record())

    @staticmethod
    def _individual(candidate: Candidate) -> gp.Individual | None:
        try:
            return gp.Individual.from_source(candidate.source, ref=candidate.pk)
        except gp.OutsideGrammar:
            return None
