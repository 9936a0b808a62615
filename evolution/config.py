"""An evolution's settings: what `evolve` was asked, stored on the Run record, read back on resume."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from evolution import objective as objectives
from evolution.database import DatabaseConfig
from evolution.llm.settings import LLMSettings
from evolution.sandbox import Limits

DEFAULT_LIMITS = {"cpu_seconds": 5.0, "wall_seconds": 10.0, "memory_bytes": 512 * 2**20}


@dataclass(frozen=True)
class EvolutionConfig:
    family: str
    problems: tuple[str, ...]
    held_out: tuple[str, ...] = ()  # problems of the family never trained on (evolution.held_out)
    engine: str = "gp"
    budget: int = 200  # candidates in all, the starting population included
    workers: int = 1  # evaluations in flight (embedded: local processes; with a broker: Celery workers)
    seed: int = 0
    population: int = 8  # starting population: the founders and random programs
    founders: tuple[str, ...] = ("laporta",)  # literature rules that start it (evolution.gp.STARTING_RULES)
    cap: str = "laporta"  # seed cap per problem (see evolution.problems)
    crossover_rate: float = 0.5
    objective: str = objectives.DEFAULT  # what a complete reduction costs (evolution.objective)
    rank_growth: bool = False  # rules must keep their targets and grow with rank (evolution.rank_growth)
    database: dict[str, Any] = field(default_factory=dict)
    limits: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_LIMITS))
    llm: dict[str, Any] = field(default_factory=dict)  # LLMSettings (llm and mixed engines); never a key

    def __post_init__(self) -> None:
        if not self.problems:
            raise ValueError("an evolution needs at least one problem")
        both = sorted(set(self.problems) & set(self.held_out))
        if both:
            raise ValueError(f"a problem is trained on or held out, not both: {', '.join(both)}")
        object.__setattr__(self, "held_out", tuple(self.held_out))
        for name in ("budget", "workers", "population"):
            if not isinstance(getattr(self, name), int) or getattr(self, name) < 1:
                raise ValueError(f"{name} must be a positive integer, got {getattr(self, name)!r}")
        object.__setattr__(self, "founders", _founders(self.founders, self.population))
        if not 0 <= self.crossover_rate <= 1:
            raise ValueError(f"crossover_rate must be between 0 and 1, got {self.crossover_rate!r}")
        object.__setattr__(self, "objective", objectives.parse(self.objective).text)  # in canonical form
        if not isinstance(self.rank_growth, bool):
            raise ValueError(f"rank_growth is true or false, got {self.rank_growth!r}")
        # Refuse bad nested settings now, not at the first evaluation.
        object.__setattr__(self, "database", DatabaseConfig.from_dict({"seed": self.seed, **self.database})
                           .to_dict())
        Limits(**self.limits)
        if self.llm or self.engine != "gp":
            object.__setattr__(self, "llm", LLMSettings.from_dict(self.llm).to_dict())

    def database_config(self) -> DatabaseConfig:
        return DatabaseConfig.from_dict(self.database)

    def to_dict(self) -> dict[str, Any]:
        values = dataclasses.asdict(self)
        values["problems"] = list(self.problems)
        values["held_out"] = list(self.held_out)
        values["founders"] = list(self.founders)
        return values

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> EvolutionConfig:
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(f"unknown evolution setting(s): {', '.join(unknown)}")
        held_out = tuple(values.get("held_out", ()))  # runs from before held-out problems have none
        founders = tuple(values.get("founders", ("laporta",)))  # runs from before founders could be chosen
        return cls(**{**values, "problems": tuple(values["problems"]), "held_out": held_out,
                      "founders": founders})


def _founders(names, population: int) -> tuple[str, ...]:
    """The founders' names, known, each once, and no more of them than the starting population holds."""
    from evolution.gp import STARTING_RULES  # DEAP's typed sets load only where a run is configured

    names = tuple(names)
    unknown = [name for name in names if name not in STARTING_RULES]
    if unknown:
        raise ValueError(f"no literature rule named {', '.join(map(repr, unknown))} to found a run; the "
                         f"founders are chosen from {', '.join(STARTING_RULES)}")
    if not names or len(set(names)) != len(names):
        raise ValueError(f"founders must name each rule once, got {', '.join(names) or 'none'}")
    if len(names) > population:
        raise ValueError(f"{len(names)} founders do not fit a starting population of {population}")
    return names
