"""An LLM engine's settings: stored in the run's configuration (`EvolutionConfig.llm`), never with the key.

The key is read from the environment (LLM_API_KEY) when the client is made and lives nowhere else. The
model and endpoint may come from the environment too (LLM_MODEL, LLM_BASE_URL); `evolve` writes the values
it used into the run's configuration, so the record says which model answered.
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

STYLES = ("chat", "completion")
DEFAULT_BASE_URL = "https://api.openai.com/v1"


@dataclass(frozen=True)
class LLMSettings:
    model: str = ""
    base_url: str = ""
    provider: str = ""  # gen_ai.provider.name; derived from the endpoint when left empty
    style: str = "chat"  # chat: /chat/completions, the prompt as one user message; completion: /completions
    temperature: float | None = 1.0
    top_p: float | None = None
    max_tokens: int | None = 1024
    seed: int | None = None  # sent as is; a step's calls share it (servers may ignore it)
    samples: int = 4  # calls per prompt, one completion each (FunSearch: samples_per_prompt = 4)
    parallel: int = 4  # of a step's calls, how many may be in flight at once (1: one after another)
    timeout: float = 120.0  # seconds per request
    max_attempts: int = 5  # per sample: the first call and its retries
    backoff: float = 1.0  # seconds before the first retry, doubled each time ...
    backoff_cap: float = 60.0  # ... up to this; a longer Retry-After is honoured up to max_retry_after
    max_retry_after: float = 600.0
    give_up_after: int = 3  # steps in a row without a usable completion stop the engine
    # Budget caps for the run (None: no cap): HTTP requests made, tokens in + out, cost in the table's unit.
    max_calls: int | None = None
    max_tokens_budget: int | None = None
    max_cost: float | None = None
    ratio: float = 0.5  # mixed engine: the share of steps given to the LLM

    def __post_init__(self) -> None:
        if self.style not in STYLES:
            raise ValueError(f"llm style must be one of {', '.join(STYLES)}, not {self.style!r}")
        if self.base_url:
            _check_base_url(self.base_url)
        for name in ("samples", "parallel", "max_attempts", "give_up_after"):
            _require(name, getattr(self, name), int, minimum=1)
        for name in ("max_tokens", "max_calls", "max_tokens_budget"):
            if getattr(self, name) is not None:
                _require(name, getattr(self, name), int, minimum=1)
        if self.seed is not None:
            _require("seed", self.seed, int, minimum=None)
        for name in ("temperature", "top_p", "max_cost"):
            if getattr(self, name) is not None:
                _require(name, getattr(self, name), (int, float), minimum=0)
        for name in ("timeout", "backoff", "backoff_cap", "max_retry_after"):
            _require(name, getattr(self, name), (int, float), minimum=0)
        if not 0 <= self.ratio <= 1:
            raise ValueError(f"llm ratio must be between 0 and 1, got {self.ratio!r}")

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> LLMSettings:
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - known)
        if unknown:
            # A key among them would be refused by the ledger anyway; name it here, before anything starts.
            raise ValueError(f"unknown llm setting(s): {', '.join(unknown)} (the API key is read only from "
                             "the environment, LLM_API_KEY)")
        return cls(**values)

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    def resolved(self, environ=os.environ) -> LLMSettings:
        """Model and endpoint filled in from the environment where the configuration leaves them empty."""
        model = self.model or environ.get("LLM_MODEL", "")
        base_url = self.base_url or environ.get("LLM_BASE_URL", "") or DEFAULT_BASE_URL
        if not model:
            raise ValueError("no model: give --model or set LLM_MODEL")
        return dataclasses.replace(self, model=model, base_url=base_url, provider=self.provider
                                   or provider_of(base_url))

    @property
    def server_address(self) -> str:
        return urlsplit(self.base_url).hostname or ""

    def sampling(self) -> dict[str, Any]:
        """What describes the model agent besides its name: how it was asked to sample."""
        return {"style": self.style, "temperature": self.temperature, "top_p": self.top_p,
                "max_tokens": self.max_tokens, "seed": self.seed}


def provider_of(base_url: str) -> str:
    host = urlsplit(base_url).hostname or ""
    return "openai" if host == "api.openai.com" else "openai_compatible"


def _check_base_url(url: str) -> None:
    # The endpoint is recorded; a key hidden in it (user:key@host, ?api_key=…) would be recorded with it.
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("llm base_url must be an http(s) URL with a host")
    if parts.username or parts.password or parts.query or parts.fragment:
        raise ValueError("llm base_url must not carry credentials or a query: put the key in LLM_API_KEY")


def _require(name: str, value, types, minimum) -> None:
    if isinstance(value, bool) or not isinstance(value, types) or (minimum is not None and value < minimum):
        bound = "" if minimum is None else f" >= {minimum}"
        raise ValueError(f"llm {name} must be a number{bound}, not {value!r}")
