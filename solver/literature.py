"""Seeding rules from the literature, each written once: its rule program and the paper it comes from.

The program is the source a candidate holds (`def keep(seed): return …`, the language the sandbox runs and
GP starts from); `keep` is that same source compiled, so the solver's rules and GP's founders cannot drift.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only a type here: GP imports this module and needs none of the pool's machinery
    from solver.seeds import Seed

LAPORTA_CITATION = "S. Laporta, hep-ph/0102033"
KIRA3_CITATION = "F. Lange, J. Usovitsch and Z. Wu, Kira 3, arXiv:2505.20197"


@dataclass(frozen=True)
class LiteratureRule:
    """A published seeding rule: `expression` is what `keep(seed)` returns, written over `seed`."""

    name: str
    expression: str
    citation: str
    identifier: str  # the paper's arXiv identifier

    @property
    def source(self) -> str:
        return f"def keep(seed):\n    return {self.expression}\n"

    @cached_property
    def keep(self) -> Callable[[Seed], bool]:
        """The source as a callable; our own text, so compiled here rather than run in the sandbox."""
        namespace: dict = {}
        exec(compile(self.source, f"<literature rule {self.name}>", "exec"), namespace)
        keep = namespace["keep"]
        keep.__name__ = keep.__qualname__ = self.name
        keep.__doc__ = f"{self.expression}  ({self.citation})"
        return keep


# Laporta's r <= R, s <= S with R, S taken from the problem (the target's own r and s), so the rule carries
# over between problems; `laporta(R, S)` writes fixed bounds instead.
LAPORTA = LiteratureRule(
    "laporta", "seed.r <= seed.r_top and seed.s <= seed.s_top", LAPORTA_CITATION, "hep-ph/0102033"
)
# Kira 3's improved seeding: no dots, and one unit of numerator rank less for each line removed from the top
# sector.
KIRA3 = LiteratureRule(
    "kira3",
    "seed.d == 0 and seed.s <= seed.s_top - (seed.t_top - seed.t)",
    KIRA3_CITATION,
    "arXiv:2505.20197",
)
# As published, Kira-3 does not close the trianglebox targets I(1,1,1,1,1,1,-k) of numerator rank k = 1 and 2
# (far below the top sector it allows a negative numerator rank: no seeds there); with a floor of one
# numerator power it closes all four ranks k = 1..4, with 88, 89, 108 and 205 seeds.
KIRA3_FLOORED = LiteratureRule(
    "kira3_floored",
    "seed.d == 0 and seed.s <= max(1, seed.s_top - (seed.t_top - seed.t))",
    f"{KIRA3_CITATION}, with a floor s <= max(1, ...)",
    "arXiv:2505.20197",
)


# Kira-3 keeps no dots, so it cannot reduce a dotted target (I(2,2,1,1,1,1,-1) does not even occur in the
# equations of dotless seeds, whose shifts add at most one dot). Seedtrace's extension, not the paper's: allow
# as many dots as the target has, d <= r_top - t_top (for a target in the top sector, its number of dots). On
# targets without dots (every rankK problem) it keeps exactly what the floored rule keeps.
KIRA3_FLOORED_DOTS = LiteratureRule(
    "kira3_floored_dots",
    "seed.d <= seed.r_top - seed.t_top and seed.s <= max(1, seed.s_top - (seed.t_top - seed.t))",
    f"{KIRA3_CITATION}, with a floor s <= max(1, ...) and the target's dots (Seedtrace's extension)",
    "arXiv:2505.20197",
)


def laporta(r: int, s: int) -> LiteratureRule:
    """Laporta's rule with fixed bounds, e.g. laporta(6, 3): `seed.r <= 6 and seed.s <= 3`."""
    return LiteratureRule(
        f"laporta_r{r}_s{s}", f"seed.r <= {r} and seed.s <= {s}", LAPORTA_CITATION, "hep-ph/0102033"
    )
