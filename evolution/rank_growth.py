"""Rank growth: what a rule must do as its targets gain numerator powers, checked on its training problems.

Trained on rank1..rank3, a rule only ever sees s_top = 1, 2, 3, where `seed.s <= 3 - (seed.t_top - seed.t)`
and `seed.s <= seed.s_top - (seed.t_top - seed.t)` keep the same seeds; the first fails at every higher
rank. So does `seed.s + seed.pinched <= seed.t`, which never reads s_top at all: it caps the numerators of
the small sectors for good. The training problems cannot tell such rules apart by their seeds, but
Laporta's rule and floored Kira-3 have two properties that they lack (Kira-3 itself lacks the first at rank
1 and 2, where it is incomplete), and a run may require them (evolve --rank-growth):

- **it keeps its targets' corners**, at their rank and raised by 1..RAISES numerator powers: for each
  target and each sector S of the pool below it, the integral with the target's indices on the lines of
  S, nothing on the lines S lacks, and the target's numerator powers less one for each line S lacks
  (never below none), on the target's ISP that carries the most. The sector of the target itself is its
  own corner: the target. Reducing a target reaches these integrals, and they are the edge of what Kira-3
  keeps, s ≤ s_top − (t_top − t) (arXiv:2505.20197); Laporta's rule and the floored Kira-3 rule keep them
  at every rank, and so does every rule of ours found to hold at ranks it was not trained on.
- **it grows with rank**: every seed it keeps for the problem's targets it also keeps when they carry one
  more numerator power (the same rows, s_top + 1). A rank-(k+1) reduction passes through the rank-k
  integrals of its sectors, so what they needed is needed again.

Both are read from rows built from the training problem alone (its targets, its own pool's sectors and
rows): no other problem is read and nothing is reduced. A rule that lacks them is not reduced either:
like a rule over the seed cap, its verdict is incomplete with the capped penalty, and details["rank_growth"]
says why.
"""

from __future__ import annotations

import functools

import numpy as np

from evolution import sandbox
from evolution.problems import ProblemContext, seed_table

RAISES = 3  # the targets are probed with up to this many more numerator powers


def shortfall(source: str, context: ProblemContext, kept: np.ndarray, limits: sandbox.Limits) -> str:
    """Why the rule `source`, which keeps `kept` of the context's pool, lacks rank growth; "" if it has it."""
    for raised, table in _corner_tables(context):
        outcome = sandbox.run(source, table, limits)
        if not outcome.ok:
            return f"failed on its targets' corners {_raised(raised)}: {outcome.reason}"
        if not outcome.selection.all():
            dropped = table.indices[~outcome.selection]
            widest = dropped[np.argmax((dropped > 0).sum(axis=1))]  # the target itself, if it is dropped
            return f"it drops {_integral(widest)}, a corner of its targets {_raised(raised)}"
    outcome = sandbox.run(source, _grown(context), limits)
    if not outcome.ok:
        return f"failed on its seeds with s_top + 1: {outcome.reason}"
    lost = int((kept & ~outcome.selection).sum())
    s_top = context.table.context["s_top"]
    if lost:
        return f"it keeps {lost} seeds for s_top = {s_top} that it drops for s_top = {s_top + 1}"
    return ""


def _raised(raised: int) -> str:
    return "at their rank" if raised == 0 else f"with {raised} more numerator power{'s' * (raised > 1)}"


def _integral(indices) -> str:
    return "I(" + ", ".join(str(int(a)) for a in indices) + ")"


@functools.cache
def _corner_tables(context: ProblemContext) -> tuple[tuple[int, sandbox.SeedTable], ...]:
    """The targets' corners at their rank, then raised 1..RAISES powers, each as a table of its own (a
    table has one s_top). Targets without an ISP to raise (their sector holds every line) are probed at
    their rank only."""
    targets = np.asarray(context.problem.targets, dtype=np.int64)
    lines = targets.shape[1]
    sectors = np.unique(context.pool.features["sector"])
    masks = ((sectors[:, None] >> np.arange(lines)) & 1).astype(bool)
    raises = range(RAISES + 1) if _isp_lines(targets).size else range(1)
    tables = []
    for raised in raises:
        higher = _raise(targets, raised)
        corners = np.unique(np.concatenate([_corners(target, masks) for target in higher]), axis=0)
        tables.append((raised, seed_table(corners, higher)))
    return tuple(tables)


def _raise(targets: np.ndarray, raised: int) -> np.ndarray:
    higher = targets.copy()
    if raised:
        isp = _isp_lines(targets)
        for row in higher:
            row[_most_powers(row, isp)] -= raised
    return higher


def _corners(target: np.ndarray, masks: np.ndarray) -> np.ndarray:
    """The target's corner in each sector (a row of `masks`) below its own."""
    lines = target > 0
    below = masks[~(masks & ~lines).any(axis=1)]
    corners = np.where(below, target, 0) + np.where(lines, 0, np.minimum(target, 0))
    isp = np.flatnonzero(~lines & (target < 0))
    if isp.size:
        line = _most_powers(target, isp)
        pinched = (lines & ~below).sum(axis=1)
        corners[:, line] = np.minimum(0, target[line] + pinched)  # one power less per line S lacks
    return corners


@functools.cache
def _grown(context: ProblemContext) -> sandbox.SeedTable:
    """The problem's own rows with the context's s_top one higher."""
    table = context.table
    higher = {**table.context, "s_top": table.context["s_top"] + 1}
    return sandbox.SeedTable(table.features, table.names, higher, indices=context.pool.indices)


def _isp_lines(targets: np.ndarray) -> np.ndarray:
    """Lines outside the targets' top sector: where a target's numerator powers sit."""
    return np.flatnonzero(~(targets > 0).any(axis=0))


def _most_powers(row: np.ndarray, isp: np.ndarray) -> int:
    return int(isp[np.argmin(row[isp])])  # the most negative index: the most numerator powers, first on ties
