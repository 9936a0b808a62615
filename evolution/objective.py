"""A run's objective: what a problem's complete reduction costs, and so its score (higher is better).

`seeds`, the default and the paper's measure, leaves every score as solver.score makes it: −seeds when
complete, a penalty below every complete score otherwise. A weighted mix of what the reduction recorded,
`seeds+0.1*equations+0.001*multiply_adds` say, scores a complete reduction −Σ weight·value instead. The
grammar is small and read token by token (never eval'd):

    objective := term ("+" term)*        each name at most once
    term      := [weight "*"] name       weight: a decimal number, 0 < weight ≤ 1000, 1 when left out
    name      := seeds | equations | pivots | pivot_steps | multiply_adds | fill_in | pivot_row_entries
                 | instantiation_seconds | elimination_seconds

The work counts (solver.reduction.WORK_FIELDS) are counted by the elimination, not timed: a rule scores
the same on every machine and at every re-evaluation. Prefer multiply_adds (or pivot_steps) for what a
reducer pays. The two *_seconds are wall time, noisy and machine-dependent: scores that use them cannot be
reproduced (reevaluate then compares everything but the scores, and says so).

Complete always beats incomplete: a complete reduction's cost counts up to a ceiling, the objective of the
largest system the problem's cap lets through (`ceiling`), and an incomplete or capped rule scores its
usual penalty minus that ceiling: below every complete score, in the same order among themselves.
Under a weighted objective every scored evaluation records it (details["objective"]); none: seeds.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, replace

from solver.family import Family
from solver.reduction import WORK_FIELDS

DEFAULT = "seeds"
NAMES = ("seeds", "equations", *WORK_FIELDS)  # the canonical order of the terms
CLOCK = ("instantiation_seconds", "elimination_seconds")  # wall time: not reproducible
# With caps below ~10^5 seeds every penalty stays an exact float (below 2**53): failures keep their order.
MAX_WEIGHT = 1000.0
MAX_LENGTH = 300
_TOKEN = re.compile(r"\s*(?:(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)|(?P<name>[a-z_]+)|(?P<op>[+*]))")


class ObjectiveError(ValueError):
    pass


@dataclass(frozen=True)
class Objective:
    terms: tuple[tuple[str, float], ...]  # (name, weight) in NAMES order
    # Rules must keep their targets and grow with rank (evolution.rank_growth), else score as capped.
    rank_growth: bool = False

    @property
    def text(self) -> str:
        return "+".join(name if weight == 1 else f"{_number(weight)}*{name}" for name, weight in self.terms)

    @property
    def is_default(self) -> bool:
        return self.terms == ((DEFAULT, 1.0),)

    @property
    def reproducible(self) -> bool:
        return not any(name in CLOCK for name, _ in self.terms)

    def cost(self, values: dict) -> float:
        """Σ weight·value over the terms; `values` must hold each term's name."""
        missing = [name for name, _ in self.terms if values.get(name) is None]
        if missing:
            raise ObjectiveError(f"the reduction did not record {', '.join(missing)}")
        return round(sum(weight * values[name] for name, weight in self.terms), 6)

    def ceiling(self, family: Family, cap: int) -> float:
        """The cost counted at most: the objective of a system of `cap` seeds with all identities of each,
        each count at rows² and each time at a second a row. Far above any system that closes: rank3's
        Laporta system, its cap, is 60,876 rows, 3.7e9 squared, and costs 1.5e6 multiply-adds."""
        rows = cap * identities_per_seed(family)
        bounds = {"seeds": cap, "equations": rows, "pivots": rows, **dict.fromkeys(CLOCK, rows)}
        return round(sum(weight * bounds.get(name, rows * rows) for name, weight in self.terms), 6)

    def score(self, verdict, family: Family, cap: int) -> None:
        """Rescore a problem's verdict (evolution.scoring) in place; the default objective leaves it be."""
        if self.is_default or verdict.score is None:  # failed to run: no score, under any objective
            return
        verdict.details["objective"] = self.text
        ceiling = self.ceiling(family, cap)
        if verdict.verdict == "complete":
            work = verdict.details.get("work", {})
            values = {"seeds": verdict.seeds, "equations": verdict.equations, **work}
            verdict.score = -min(self.cost(values), ceiling)
        else:
            verdict.score = verdict.score - ceiling


def identities_per_seed(family: Family) -> int:
    """IBP and LI identities written for each seed: L·(L+E) + E(E−1)/2."""
    loops, externals = len(family.loop_momenta), len(family.external_momenta)
    return loops * (loops + externals) + externals * (externals - 1) // 2


@functools.lru_cache(maxsize=64)
def parse(text: str) -> Objective:
    """The objective `text` names; ObjectiveError says what is wrong with one that names none."""
    if not isinstance(text, str) or len(text) > MAX_LENGTH:
        raise ObjectiveError(f"an objective is a short text like 'seeds+0.001*multiply_adds', not {text!r}")
    tokens = _tokens(text)
    weights: dict[str, float] = {}
    while True:
        weight, name = _term(tokens, text)
        if name in weights:
            raise ObjectiveError(f"objective {text!r} names {name} twice")
        weights[name] = weight
        if not tokens:
            break
        if tokens.pop(0) != ("op", "+"):
            raise ObjectiveError(f"objective {text!r}: terms are joined by '+'")
    return Objective(tuple((name, weights[name]) for name in NAMES if name in weights))


def of_config(config: dict | None) -> Objective:
    """The objective a run's configuration names (seeds for a run from before objectives), with the
    rank-growth requirement when the run made it."""
    config = config or {}
    scored_by = parse(str(config.get("objective") or DEFAULT))
    return replace(scored_by, rank_growth=bool(config.get("rank_growth")))


def of_run(run) -> Objective:
    return of_config(run.config)


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, at = [], 0
    while at < len(text.rstrip()):
        found = _TOKEN.match(text, at)
        if found is None:
            raise ObjectiveError(f"objective {text!r}: unexpected {text[at:].strip()[:20]!r}")
        kind = found.lastgroup
        tokens.append((kind, found.group(kind)))
        at = found.end()
    if not tokens:
        raise ObjectiveError("an objective names at least one of: " + ", ".join(NAMES))
    return tokens


def _term(tokens: list[tuple[str, str]], text: str) -> tuple[float, str]:
    weight = 1.0
    if tokens and tokens[0][0] == "number":
        weight = float(_number(float(tokens.pop(0)[1])))  # the weight is what its canonical text says
        if not (0 < weight <= MAX_WEIGHT and math.isfinite(weight)):
            raise ObjectiveError(f"objective {text!r}: a weight is above 0 and at most {MAX_WEIGHT:g}")
        if not tokens or tokens.pop(0) != ("op", "*"):
            raise ObjectiveError(f"objective {text!r}: a weight is followed by '*' and a name")
    if not tokens or tokens[0][0] != "name":
        raise ObjectiveError(f"objective {text!r}: expected one of {', '.join(NAMES)}")
    name = tokens.pop(0)[1]
    if name not in NAMES:
        raise ObjectiveError(f"objective {text!r}: unknown term {name!r}; known: {', '.join(NAMES)}")
    return weight, name


def _number(value: float) -> str:
    return format(value, ".12g")
