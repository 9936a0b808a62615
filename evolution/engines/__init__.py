"""Engines propose candidate programs from parents; every engine shares one population (the program
database) and hands the controller what the provenance record needs."""

from evolution.engines.base import Engine, Proposal, Step
from evolution.engines.gp import GPEngine

ENGINES = {"gp": GPEngine}

__all__ = ["ENGINES", "Engine", "GPEngine", "Proposal", "Step"]
