"""LLM and GP on one population: each step goes to the model with probability `ratio` (drawn from the step's
own RNG, so a rerun makes the same choices), to GP otherwise. Either may breed the other's programs: GP
parses an LLM program back into its grammar when it can, and the model sees any program in its prompt.

When the model stops (a budget cap, a rejected request), GP carries on alone and the run says why."""

from __future__ import annotations

from evolution.engines.base import Proposal, Step
from evolution.engines.gp import GPEngine
from evolution.engines.llm import LLMEngine
from provenance.models import Run


class MixedEngine:
    name = "mixed"
    stopped = ""  # GP can always propose

    def __init__(self, gp: GPEngine, llm: LLMEngine, ratio: float):
        self.gp, self.llm, self.ratio = gp, llm, ratio

    @property
    def usage(self):
        return self.llm.usage

    @property
    def notice(self) -> str:
        return f"{self.llm.stopped}; GP went on alone" if self.llm.stopped else ""

    def propose(self, step: Step) -> list[Proposal] | Proposal:
        use_llm = step.rng.random() < self.ratio
        if use_llm and not self.llm.stopped:
            proposals = self.llm.propose(step)
            if proposals:
                return proposals
        return self.gp.propose(step)  # also when the model gave nothing this step: the step is not lost

    def starting_population(self, run: Run, size: int, rng) -> list[Proposal]:
        return self.gp.starting_population(run, size, rng)
