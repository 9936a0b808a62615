"""Master integrals of a family, from a generous reference reduction, checked for stability and cached.

Reference at level k: seeds = every integral of every non-zero sector with at most k dots and s ≤ k + 1;
"interior" integrals = those with at most k - 1 dots and s ≤ k, far enough from the seeds' edge that the
system reduces them whenever they are reducible at all. Masters = the non-pivot integrals the interior
reduces to. The result is accepted when level k + 1 finds the same masters; it is stored beside the family
file (<name>.masters.json) with the levels, point and prime used, and recomputed when the file changes.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from solver.family import Family
from solver.integral import laporta_order
from solver.jsontext import to_json_text
from solver.point import PRIMES, random_point
from solver.seeds import enumerate_integrals
from solver.system import build_system

VERSION = "solver-masters-1"
FIRST_LEVEL = 1
MAX_LEVEL = 3

Integral = tuple[int, ...]


class MastersError(RuntimeError):
    """The reference reductions did not settle on one set of masters."""


def reference_masters(family: Family, level: int, prime: int = PRIMES[0], eliminate: Callable | None = None):
    """Masters found by the level-`level` reference reduction, most complex first, and its size."""
    if eliminate is None:
        from solver.elimination import eliminate
    seeds = enumerate_integrals(family, max_r=10**6, max_s=level + 1, max_d=level)
    interior = enumerate_integrals(family, max_r=10**6, max_s=level, max_d=level - 1)
    point = random_point(family, 1000 + level, prime)
    system = build_system(family, point, seeds, interior)
    cols = system.columns(interior)
    elim = eliminate(system.n_cols, system.indptr, system.indices, system.data, prime, cols)
    found: set[int] = set()
    for col in cols.tolist():
        reduced = elim.reduced[col]
        found.update([col] if reduced is None else reduced[0].tolist())
    masters = system.integrals[sorted(found)]
    info = {
        "level": level,
        "seeds": len(seeds),
        "equations": system.n_rows,
        "interior": len(interior),
        "max_dots": level,
        "max_s": level + 1,
        "point": point.to_json(),
        "prime": prime,
    }
    return [tuple(m) for m in masters.tolist()], info


def compute_masters(family: Family, progress: Callable[[str], None] | None = None) -> dict:
    """Run reference levels until two consecutive ones agree; the record that gets stored."""
    previous = None
    for level in range(FIRST_LEVEL, MAX_LEVEL + 1):
        start = time.perf_counter()
        masters, info = reference_masters(family, level)
        info["seconds"] = round(time.perf_counter() - start, 3)
        if progress:
            progress(
                f"masters of {family.name}: level {level}: {len(masters)} masters, "
                f"{info['seeds']} seeds, {info['equations']} equations, {info['seconds']} s"
            )
        if previous is not None and masters == previous[0]:
            return {
                "family": family.name,
                "family_hash": family.source_hash,
                "solver_version": VERSION,
                "order": "Laporta order of solver.integral (t, r, s, sector, indices; most complex first)",
                "count": len(masters),
                "masters": [list(m) for m in masters],
                "reference": previous[1],
                "stability_check": info,
            }
        previous = (masters, info)
    raise MastersError(f"{family.name}: masters not stable up to reference level {MAX_LEVEL}")


def masters_path(family: Family) -> Path | None:
    if family.path is None:
        return None
    return family.path.with_name(f"{family.path.stem}.masters.json")


_CACHE: dict[str, dict] = {}


def family_masters_record(family: Family, progress: Callable[[str], None] | None = None) -> dict:
    """The stored record if it matches the family file's hash and this solver version, else recomputed."""
    if family.source_hash in _CACHE:
        return _CACHE[family.source_hash]
    path = masters_path(family)
    record = None
    if path is not None and path.is_file():
        stored = json.loads(path.read_text())
        if stored.get("family_hash") == family.source_hash and stored.get("solver_version") == VERSION:
            record = stored
    if record is None:
        record = compute_masters(family, progress)
        if path is not None:
            try:
                path.write_text(to_json_text(record) + "\n")
            except OSError as exc:  # a read-only install still works, it just recomputes next time
                print(f"note: could not store {path}: {exc.strerror}", file=sys.stderr)
    _CACHE[family.source_hash] = record
    return record


def family_masters(family: Family, progress: Callable[[str], None] | None = None) -> list[Integral]:
    """The family's masters, most complex first."""
    masters = np.array(family_masters_record(family, progress)["masters"], dtype=np.int64)
    return [tuple(m) for m in masters[laporta_order(masters)].tolist()]
