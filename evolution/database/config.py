"""Settings of the program database: laptop-sized defaults, every one overridable and stored with the run."""

import dataclasses
import math
from dataclasses import dataclass
from typing import Any

NORMALISATIONS = ("relative", "range", "none")


@dataclass(frozen=True)
class DatabaseConfig:
    num_islands: int = 4
    functions_per_prompt: int = 2
    temperature_init: float = 0.1
    # FunSearch decays over 30000 programs per island; a laptop run registers hundreds, not millions.
    temperature_period: int = 1000
    # Registrations between resets of the weaker half; None: never by count.
    reset_period: int | None = 200
    # Also reset after this many seconds of wall clock (FunSearch: 4 h). Off by default: the moment a
    # reset happens would depend on machine speed, so a rerun with the same seed would differ.
    reset_seconds: float | None = None
    # Registrations between migrations: each island's best is copied to the next island of a ring.
    # None (the default): never, as in FunSearch, where programs move between islands only by resets.
    migration_period: int | None = None
    normalisation: str = "relative"
    seed: int = 0

    def __post_init__(self) -> None:
        _require_int(self, "num_islands", 1)
        _require_int(self, "functions_per_prompt", 1)
        _require_positive(self, "temperature_init")
        _require_int(self, "temperature_period", 1)
        if self.reset_period is not None:
            _require_int(self, "reset_period", 1)
        if self.reset_seconds is not None:
            _require_positive(self, "reset_seconds")
        if self.migration_period is not None:
            _require_int(self, "migration_period", 1)
        if self.normalisation not in NORMALISATIONS:
            raise ValueError(
                f"normalisation must be one of {', '.join(NORMALISATIONS)}, not {self.normalisation!r}"
            )
        _require_int(self, "seed", 0)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> "DatabaseConfig":
        unknown = set(values) - {field.name for field in dataclasses.fields(cls)}
        if unknown:
            raise ValueError(f"unknown program database setting(s): {', '.join(sorted(unknown))}")
        return cls(**values)


def _require_int(config: DatabaseConfig, name: str, minimum: int) -> None:
    value = getattr(config, name)
    # bool is an int to Python, but `num_islands=True` is a mistake, not a 1.
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, not {value!r}")


def _require_positive(config: DatabaseConfig, name: str) -> None:
    value = getattr(config, name)
    if (
        isinstance(value, bool)
        or not isinstance(value, int | float)
        or not math.isfinite(value)
        or value <= 0
    ):
        raise ValueError(f"{name} must be a positive finite number, not {value!r}")
