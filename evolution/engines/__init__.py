"""Engines propose candidate programs from parents; every engine shares one population (the program
database) and hands the controller what the provenance record needs."""

from evolution.engines.base import Engine, Proposal, Step
from evolution.engines.gp import GPEngine
from evolution.engines.llm import LLMEngine
from evolution.engines.mixed import MixedEngine

ENGINES = {"gp": GPEngine, "llm": LLMEngine, "mixed": MixedEngine}


def make_engine(config, run=None) -> Engine:
    """The engine an EvolutionConfig names; `run` lets an LLM engine count what the run already spent."""
    from evolution.llm.settings import LLMSettings

    gp = GPEngine(crossover_rate=config.crossover_rate, founders=config.founders)
    if config.engine == "gp":
        return gp
    settings = LLMSettings.from_dict(config.llm)
    llm = LLMEngine(settings, run, founders=gp)
    if config.engine == "llm":
        return llm
    return MixedEngine(gp, llm, settings.ratio)


__all__ = ["ENGINES", "Engine", "GPEngine", "LLMEngine", "MixedEngine", "Proposal", "Step", "make_engine"]
