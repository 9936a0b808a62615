"""What an LLM call cost, from a versioned price table in the repository (prices-<version>.toml).

A model the table does not name has an unknown cost: None, never a guess (no prefix matching either: a dated
snapshot can be priced differently from its alias)."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).parent
CURRENT = "2026-11"
MILLION = Decimal(1_000_000)
PLACES = Decimal("1e-8")  # LLMCall.cost keeps 8 decimal places


@dataclass(frozen=True)
class Price:
    input: Decimal  # per million tokens
    output: Decimal


@dataclass(frozen=True)
class PriceTable:
    version: str
    currency: str
    models: dict[str, Price]

    def price_of(self, *models: str) -> Price | None:
        return next((self.models[name] for name in models if name in self.models), None)

    def cost(self, input_tokens: int | None, output_tokens: int | None, *models: str) -> Decimal | None:
        """The cost of one call, or None when the price or the token counts are unknown."""
        price = self.price_of(*models)
        if price is None or input_tokens is None or output_tokens is None:
            return None
        exact = (price.input * input_tokens + price.output * output_tokens) / MILLION
        return exact.quantize(PLACES)


@functools.cache
def load(version: str = CURRENT) -> PriceTable:
    data = tomllib.loads((HERE / f"prices-{version}.toml").read_text(encoding="utf-8"))
    if data.get("version") != version:
        raise ValueError(f"prices-{version}.toml says it is version {data.get('version')!r}")
    models = {name: Price(Decimal(entry["input"]), Decimal(entry["output"]))
              for name, entry in data.get("models", {}).items()}
    return PriceTable(version, data["currency"], models)
