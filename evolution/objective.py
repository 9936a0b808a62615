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

A Pareto objective, `pareto(seeds,multiply_adds)` say (seeds, then one or two other names, no weights), ranks
rules by non-domination instead of one number: each scored evaluation records its score under each name
alone (details["pareto"], in the order named), a rule's point is their sums over the run's problems
(`point`), and the program database samples by how far a point is from its island's front
(evolution.database). A problem's score, the one progress and tallies add up, stays minus its seeds (its
score under `seeds` alone), so the run's best is still its fewest seeds, one end of its front.

    pareto    := "pareto(" "seeds" "," name ["," name] ")"

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
_TOKEN = re.compile(
    r"\s*(?:(?P<number>(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)|(?P<name>[a-z_]+)|(?P<op>[+*(),]))")
PARETO = "pareto"
PARETO_TERMS = (2, 3)  # names a Pareto objective takes, fewest and most


class ObjectiveError(ValueError):
    pass


@dataclass(frozen=True)
class Objective:
    terms: tuple[tuple[str, float], ...]  # (name, weight) in NAMES order; a Pareto front's: as named
    # Rules must keep their targets and grow with rank (evolution.rank_growth), else score as capped.
    rank_growth: bool = False
    pareto: bool = False  # ranked by non-domination over the terms, each of weight 1

    @property
    def text(self) -> str:
        if self.pareto:
            return f"{PARETO}({','.join(self.names)})"
        return "+".join(name if weight == 1 else f"{_number(weight)}*{name}" for name, weight in self.terms)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.terms)

    @property
    def is_default(self) -> bool:
        return self.terms == ((DEFAULT, 1.0),) and not self.pareto

    @property
    def alone(self) -> tuple[Objective, ...]:
        """Each term as an objective of its own: a Pareto objective's axes."""
        return tuple(Objective(((name, 1.0),)) for name in self.names)

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
        if self.pareto:
            axes = [axis.scored(verdict, family, cap) for axis in self.alone]
            verdict.details[PARETO] = axes
            verdict.score = axes[0]
        else:
            verdict.score = self.scored(verdict, family, cap)

    def scored(self, verdict, family: Family, cap: int) -> float:
        """The verdict's score under this (weighted) objective; its solver score under the default."""
        if self.is_default:
            return verdict.score
        ceiling = self.ceiling(family, cap)
        if verdict.verdict == "complete":
            work = verdict.details.get("work", {})
            values = {"seeds": verdict.seeds, "equations": verdict.equations, **work}
            return -min(self.cost(values), ceiling)
        return verdict.score - ceiling


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
    if tokens[:2] == [("name", PARETO), ("op", "(")]:
        return _pareto(tokens[2:], text)
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


def point(objective: Objective, verdicts) -> tuple[float, ...] | None:
    """A rule's point under a Pareto objective: each axis's scores summed over its problems (verdicts or
    Evaluation records); None when it failed somewhere or a record lacks them (an import, an older run)."""
    if not objective.pareto or not verdicts:
        return None
    axes = [(v.details or {}).get(PARETO) if v.verdict != "failed" else None for v in verdicts]
    if not all(_axes(a, len(objective.terms)) for a in axes):
        return None
    return tuple(float(sum(values)) for values in zip(*axes, strict=True))


def _axes(values, width: int) -> bool:
    """Whether a record's axes are `width` finite numbers (a record may come from an archive)."""
    return (isinstance(values, list) and len(values) == width
            and all(type(v) in (int, float) and math.isfinite(v) for v in values))


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


def _pareto(tokens: list[tuple[str, str]], text: str) -> Objective:
    names: list[str] = []
    while True:
        if not tokens or tokens[0][0] != "name" or tokens[0][1] not in NAMES:
            raise ObjectiveError(f"objective {text!r}: pareto(…) names two or three of {', '.join(NAMES)}")
        name = tokens.pop(0)[1]
        if name in names:
            raise ObjectiveError(f"objective {text!r} names {name} twice")
        names.append(name)
        separator = tokens.pop(0) if tokens else None
        if separator == ("op", ")"):
            break
        if separator != ("op", ","):
            raise ObjectiveError(f"objective {text!r}: pareto(…) lists names between commas, closed by ')'")
    low, high = PARETO_TERMS
    if tokens or not low <= len(names) <= high or names[0] != "seeds":
        raise ObjectiveError(f"objective {text!r}: pareto(…) trades seeds against one or two other terms, "
                             "as in pareto(seeds,multiply_adds), and ends the text")
    return Objective(tuple((name, 1.0) for name in names), pareto=True)


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
