"""Family-generic features of a seed measured against the problem's targets: where its dots and numerator
powers sit relative to the targets' top sector, and what the targets look like on the seed's own lines.

t, r, s, d (solver.integral.features) say how much a seed carries, not where. A sector bitmask or the index
vector say where, but in the words of one family (line 4 of the triangle-box is nothing on the double box),
so a condition on them is a hand-picked set of seeds, not a rule (evolution/gp/grammar.py). The features here
say where in words every family shares: lines of the targets' top sector, lines the seed's sector lacks
(pinched), lines outside the top sector (ISPs). Names ending in _top are the targets' own numbers
(t_top, r_top, s_top), so the dots on top-sector lines are d_in, not d_top.

Notation: a seed a = (a_1..a_N) with sector S = {j : a_j > 0}; the problem's targets b^(1..k); the *top
sector* T = the union of the targets' sectors {j : b_j > 0} (the family's top sector for every built-in
problem: the targets' ISPs are then the family's). The pool holds seeds of every non-zero subsector of the
family's top sector, so S may leave T only when the targets sit below the family's top sector.

  d_in       dots on lines of the top sector:        Σ_{j ∈ S ∩ T} (a_j − 1)
  d_out      dots on lines outside it:               Σ_{j ∈ S \\ T} (a_j − 1)          (d = d_in + d_out)
  d_max      the most dots on one line:              max_{j ∈ S} (a_j − 1), 0 for no line
  s_isp      numerator powers on the ISPs:           Σ_{j ∉ T, a_j < 0} −a_j
  s_pinched  numerator powers on the pinched lines   Σ_{j ∈ T \\ S, a_j < 0} −a_j     (s = s_isp + s_pinched)
             (lines of the top sector the seed's sector lacks)
  s_max      the most numerator powers on one line:  max_j −a_j over a_j < 0, 0 for none
  pinched    how many top-sector lines the seed's sector lacks: |T \\ S| (0: the seed is in the top sector
             or above it; equal to t_top − t for one target and S ⊆ T, the case of every built-in problem)
  r_sec      r of the targets restricted to the seed's sector: max over targets b of Σ_{j ∈ S} max(b_j, 1),
             a line the target lacks counted once, without dots. r_sec − t is the number of dots the target
             carries on the seed's lines, so `d <= r_sec - t` allows dots exactly where a target has them
             (on dotless targets r_sec = t).

Why no s_sec, "s of the targets restricted to the seed's sector": restricting a target to S as pinching
does (its lines outside S set to 0) leaves its numerators where they are, on lines outside its own sector,
so s_sec would be s_top for every seed. What does depend on the sector is Kira-3's allowance
s_top − pinched, which a rule writes from the features above. Nor a flag "in the top sector": `pinched == 0`
says it in the grammar's own types (a feature is an integer, conditions are what comparisons make).
"""

from __future__ import annotations

import numpy as np

NAMES = ("d_in", "d_out", "d_max", "s_isp", "s_pinched", "s_max", "pinched", "r_sec")


def top_lines(targets) -> np.ndarray:
    """The top sector T as a boolean mask over the lines: the union of the targets' sectors."""
    b = _rows(targets)
    return (b > 0).any(axis=0)


def seed_features(indices, targets) -> dict[str, np.ndarray]:
    """Each feature of NAMES for every row of `indices` (an (n, N) int array), as int64 arrays of length n."""
    a = np.asarray(indices, dtype=np.int64)
    b = _rows(targets)
    if a.ndim != 2 or a.shape[1] != b.shape[1]:
        raise ValueError(f"seeds and targets must have the same number of lines, got {a.shape} and {b.shape}")
    top = (b > 0).any(axis=0)
    lines = a > 0
    dots = np.where(lines, a - 1, 0)
    powers = np.where(a < 0, -a, 0)
    # Per target, its r on each possible line (a line it lacks counts 1), summed over the seed's lines.
    target_r = np.maximum(b, 1).T  # (N, k)
    return {
        "d_in": dots[:, top].sum(axis=1),
        "d_out": dots[:, ~top].sum(axis=1),
        "d_max": dots.max(axis=1, initial=0),
        "s_isp": powers[:, ~top].sum(axis=1),
        "s_pinched": powers[:, top].sum(axis=1),
        "s_max": powers.max(axis=1, initial=0),
        "pinched": (~lines[:, top]).sum(axis=1),
        "r_sec": (lines.astype(np.int64) @ target_r).max(axis=1),
    }


def _rows(targets) -> np.ndarray:
    b = np.asarray(targets, dtype=np.int64)
    if b.ndim == 1:
        b = b.reshape(1, -1)
    if b.ndim != 2 or len(b) == 0:
        raise ValueError("targets must be one or more index vectors")
    return b
