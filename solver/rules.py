"""Seeding rules: which seeds of the pool enter the system.

A rule is any callable keep(seed) -> bool over a `Seed`, or a precomputed boolean selection over the pool.
The literature's rules (Laporta, Kira-3, floored Kira-3) are compiled from their programs in literature.py.
Running untrusted rule code safely is the evolution app's job; `load_rule_file` is for trusted local use.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from solver import literature
from solver.seeds import Seed, SeedPool

Rule = Callable[[Seed], bool]


class RuleError(ValueError):
    """A rule file or rule that cannot be used."""


def laporta(r_max: int, s_max: int) -> Rule:
    """All seeds in non-zero sectors with r ≤ R and s ≤ S."""
    return literature.laporta(r_max, s_max).keep


kira3: Rule = literature.KIRA3.keep
kira3_floored: Rule = literature.KIRA3_FLOORED.keep
kira3_floored_dots: Rule = literature.KIRA3_FLOORED_DOTS.keep


def no_dots(seed: Seed) -> bool:
    """No-dots Laporta: d = 0 and s ≤ s_top."""
    return seed.d == 0 and seed.s <= seed.s_top


BUILTIN: dict[str, Rule] = {
    "kira3": kira3,
    "kira3-floored": kira3_floored,
    "kira3-floored-dots": kira3_floored_dots,
    "no-dots": no_dots,
}


def select(pool: SeedPool, rule: Rule | np.ndarray) -> np.ndarray:
    """Boolean selection over the pool."""
    if isinstance(rule, np.ndarray):
        if rule.dtype != bool or rule.shape != (len(pool),):
            raise RuleError(
                f"a precomputed selection must be bool[{len(pool)}], got {rule.dtype}{rule.shape}"
            )
        return rule
    try:
        return np.fromiter((_verdict(rule(seed), seed) for seed in pool.seeds), dtype=bool, count=len(pool))
    except RuleError:
        raise
    except Exception as exc:  # a rule that raises is a broken rule, reported as one
        raise RuleError(
            f"rule {getattr(rule, '__name__', rule)!r} raised {exc.__class__.__name__}: {exc}"
        ) from None


def _verdict(value, seed: Seed) -> bool:
    """A rule answers with a bool (or the int 0 or 1), as the sandbox demands: `return seed.r` would
    otherwise keep every seed with r > 0 here and be refused there."""
    if type(value) in (bool, np.bool_) or (type(value) is int and value in (0, 1)):
        return bool(value)
    raise RuleError(f"keep returned {type(value).__name__} {str(value)[:40]!r} for {seed}; "
                    "it must return a bool (or 0/1)")


def load_rule_file(path: str | Path) -> Rule:
    """Exec a trusted local rule file in a fresh namespace and return its `keep`."""
    path = Path(path)
    try:
        source = path.read_text()
    except OSError as exc:
        raise RuleError(f"rule file {str(path)!r}: cannot read ({exc.strerror})") from None
    namespace: dict = {"__name__": "seedtrace_rule", "__file__": str(path)}
    try:
        exec(compile(source, str(path), "exec"), namespace)
    except Exception as exc:  # any error in user code is the file's fault, reported as such
        raise RuleError(f"rule file {str(path)!r}: {exc.__class__.__name__}: {exc}") from None
    keep = namespace.get("keep")
    if not callable(keep):
        raise RuleError(f"rule file {str(path)!r}: defines no function keep(seed)")
    return keep
