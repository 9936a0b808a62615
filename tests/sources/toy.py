"""The tiny problem both tools evolve for the fixtures (stdlib only: it runs inside their venvs).

Programs are seeding rules, `keep(seed) -> bool`, as Seedtrace's own are; the tools score them on a toy
pool of seeds (their score is theirs: an import keeps it as the tool's, and `reevaluate` scores the same
rules with Seedtrace's solver beside it). The fake model answers with these rules in turn.
"""

from types import SimpleNamespace

INITIAL = """# EVOLVE-BLOCK-START
def keep(seed):
    return seed.r <= seed.r_top + 1 and seed.s <= seed.s_top + 1
# EVOLVE-BLOCK-END
"""

BODIES = [
    "return seed.d == 0 and seed.s <= seed.s_top - (seed.t_top - seed.t)",
    "return seed.r <= seed.r_top and seed.s <= seed.s_top",
    "return seed.d == 0 and seed.s <= max(1, seed.s_top - (seed.t_top - seed.t))",
    "return seed.r <= seed.r_top + 1 and seed.s <= seed.s_top",
    "return seed.d <= 1 and seed.s <= seed.s_top",
]


def rule(i: int) -> str:
    return f"# EVOLVE-BLOCK-START\ndef keep(seed):\n    {BODIES[i % len(BODIES)]}\n# EVOLVE-BLOCK-END\n"


def seeds() -> list:
    """A small pool: t, r, s over a grid, d = r - t dots, the top sector's t_top, r_top, s_top."""
    pool = []
    for t in range(3, 7):
        for r in range(t, t + 3):
            for s in range(0, 3):
                pool.append(
                    SimpleNamespace(
                        t=t, r=r, s=s, d=r - t, sector=t, indices=(1,) * t, t_top=6, r_top=6, s_top=2
                    )
                )
    return pool


def needed(seed) -> bool:
    return seed.d == 0 and seed.s <= 1


def score(keep) -> dict:
    """Their metric: every needed seed kept, as few others as possible (combined_score in [0, 1])."""
    kept = [seed for seed in seeds() if keep(seed)]
    covered = sum(1 for seed in seeds() if needed(seed) and keep(seed)) / sum(map(needed, seeds()))
    extra = len(kept) / len(seeds())
    return {"combined_score": round(covered * (1 - 0.5 * extra), 6), "covered": covered, "kept": len(kept)}
