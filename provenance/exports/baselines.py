"""The literature's seeding rules on a problem, for the results section: how many seeds and equations the
Laporta and Kira-3 rules need where the evolved rule is compared.

They are computed here, by the solver, rather than read from the record: the literature rules are our own
text (solver.literature), so they need no sandbox, and computing them takes about a second a problem. Each is
reduced at CHECKS primes and points, as an evolved rule's complete result is (evolution.scoring).
"""

import functools
from dataclasses import dataclass

from solver.family import FAMILIES_DIR, FamilyError, load_family
from solver.literature import KIRA3, LAPORTA
from solver.masters import family_masters
from solver.reduction import reduce_problem
from solver.score import pool_of

RULES = (LAPORTA, KIRA3)
CHECKS = 2


@dataclass(frozen=True)
class Baseline:
    rule: str  # "laporta", "kira3"
    citation: str
    seeds: int
    equations: int
    complete: bool
    agreed: int  # primes and points at which the verdict was reached, the first included


@functools.lru_cache(maxsize=64)
def baselines(family: str, problem: str) -> tuple[Baseline, ...]:
    """The literature rules on one problem of a built-in family; () when the family or problem is unknown
    here (an imported run's, say). Only a built-in name is looked up: a run's family is recorded text, and
    load_family would read any path it was given."""
    if not family.isidentifier() or not (FAMILIES_DIR / f"{family}.toml").is_file():
        return ()
    try:
        loaded = load_family(family)
        target = loaded.problem(problem)
    except (FamilyError, KeyError, ValueError, OSError):
        return ()
    pool = pool_of(loaded, target)
    return tuple(_one(rule, loaded, target, pool) for rule in RULES)


def _one(rule, family, problem, pool) -> Baseline:
    result = reduce_problem(
        family, problem.targets, rule.keep, family_masters(family), check=CHECKS, pool=pool
    )
    agreed = 1 + sum(1 for check in result.checks if check["agree"])
    return Baseline(rule.name, rule.citation, result.seeds, result.equations, result.complete, agreed)
