"""Master integrals of a family, from a generous reference reduction, checked for stability and cached.

Reference at level k: seeds = every integral of every non-zero sector with at most k dots and s ≤ k + 1;
"interior" integrals = those with at most k - 1 dots and s ≤ k, far enough from the seeds' edge that the
system reduces them whenever they are reducible at all. Masters = the non-pivot integrals the interior
reduces to. The result is accepted when level k + 1 finds the same masters; it is stored beside the family
file (<name>.masters.json) with the levels, point and prime used, and recomputed when the file changes.

Masters are counted **without symmetries** (IBP + LI only): that count is what every reduction is judged
against. When the family file declares symmetries ([symmetries], solver.symmetries), the record also holds
the count *with* them (`with_symmetries`): the same reference reductions plus the relations I(a) = I(σ·a)
between the integrals of the system, stable from one level to the next in the same way.
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

VERSION = "solver-masters-2"
WITHOUT_SYMMETRIES = "without symmetries"
WITH_SYMMETRIES = "with symmetries"
FIRST_LEVEL = 1
MAX_LEVEL = 3

Integral = tuple[int, ...]


class MastersError(RuntimeError):
    """The reference reductions did not settle on one set of masters."""


def reference_masters(
    family: Family,
    level: int,
    prime: int = PRIMES[0],
    eliminate: Callable | None = None,
    symmetries: bool = False,
    point_seed: int | None = None,
):
    """Masters found by the level-`level` reference reduction, most complex first, and its size. With
    `symmetries`, the family's declared symmetries are imposed as well. `point_seed` picks another point."""
    if eliminate is None:
        from solver.elimination import eliminate
    seeds = enumerate_integrals(family, max_r=10**6, max_s=level + 1, max_d=level)
    interior = enumerate_integrals(family, max_r=10**6, max_s=level, max_d=level - 1)
    point = random_point(family, 1000 + level if point_seed is None else point_seed, prime)
    system = build_system(family, point, seeds, interior)
    cols = system.columns(interior)
    indptr, indices, data = system.indptr, system.indices, system.data
    if symmetries:
        indptr, indices, data = _with_symmetry_rows(family, system)
    elim = eliminate(system.n_cols, indptr, indices, data, prime, cols)
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
    if symmetries:
        info["symmetry_relations"] = int(len(indptr) - 1 - system.n_rows)
    return [tuple(m) for m in masters.tolist()], info


def _with_symmetry_rows(family: Family, system):
    """The system's CSR arrays with a row I(a) − I(σ·a) = 0 for every integral a of the system and every
    declared σ whose image is in the system too (an image outside it occurs in no equation: relating it
    would only add an integral)."""
    from solver.symmetries import apply, zero_based

    p = system.prime
    rows = []
    for _, sigma in zero_based(family):
        image = system.columns(apply(sigma, system.integrals))
        col = np.arange(system.n_cols, dtype=np.int64)
        keep = (image >= 0) & (image != col)
        rows.append(np.stack([col[keep], image[keep]], axis=1))
    pairs = np.unique(np.sort(np.concatenate(rows), axis=1), axis=0) if rows else np.zeros((0, 2), np.int64)
    indptr = np.concatenate([system.indptr, system.indptr[-1] + 2 * np.arange(1, len(pairs) + 1)])
    indices = np.concatenate([system.indices, pairs.reshape(-1)])
    data = np.concatenate([system.data, np.tile(np.array([1, p - 1], dtype=np.int64), len(pairs))])
    return indptr, indices, data


def stable_masters(
    family: Family, symmetries: bool = False, progress: Callable[[str], None] | None = None
) -> tuple[list[Integral], dict, dict]:
    """Run reference levels until two consecutive ones agree: (masters, reference info, check info)."""
    previous = None
    counted = WITH_SYMMETRIES if symmetries else WITHOUT_SYMMETRIES
    for level in range(FIRST_LEVEL, MAX_LEVEL + 1):
        start = time.perf_counter()
        masters, info = reference_masters(family, level, symmetries=symmetries)
        info["seconds"] = round(time.perf_counter() - start, 3)
        if progress:
            progress(
                f"masters of {family.name} ({counted}): level {level}: {len(masters)} masters, "
                f"{info['seeds']} seeds, {info['equations']} equations, {info['seconds']} s"
            )
        if previous is not None and masters == previous[0]:
            return masters, previous[1], info
        previous = (masters, info)
    raise MastersError(f"{family.name}: masters ({counted}) not stable up to reference level {MAX_LEVEL}")


def compute_masters(family: Family, progress: Callable[[str], None] | None = None) -> dict:
    """The record that gets stored: masters without symmetries and, when the family declares symmetries,
    with them."""
    masters, reference, check = stable_masters(family, False, progress)
    record = {
        "family": family.name,
        "family_hash": family.source_hash,
        "solver_version": VERSION,
        "order": "Laporta order of solver.integral (t, r, s, sector, indices; most complex first)",
        "counted": WITHOUT_SYMMETRIES,
        "count": len(masters),
        "masters": [list(m) for m in masters],
        "reference": reference,
        "stability_check": check,
    }
    if family.symmetries:
        sym_masters, sym_reference, sym_check = stable_masters(family, True, progress)
        record["with_symmetries"] = {
            "counted": WITH_SYMMETRIES,
            "symmetries": {name: list(sigma) for name, sigma in family.symmetries},
            "count": len(sym_masters),
            "masters": [list(m) for m in sym_masters],
            "reference": sym_reference,
            "stability_check": sym_check,
        }
    return record


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
    """The family's masters counted without symmetries (what reductions are judged against), most complex
    first."""
    masters = np.array(family_masters_record(family, progress)["masters"], dtype=np.int64)
    return [tuple(m) for m in masters[laporta_order(masters)].tolist()]


def master_counts(family: Family, progress: Callable[[str], None] | None = None) -> dict[str, int | None]:
    """{"without symmetries": n, "with symmetries": m, or None where the family declares no symmetries}."""
    record = family_masters_record(family, progress)
    with_sym = record.get("with_symmetries")
    return {WITHOUT_SYMMETRIES: record["count"], WITH_SYMMETRIES: with_sym["count"] if with_sym else None}


def describe_count(family: Family, progress: Callable[[str], None] | None = None) -> str:
    """E.g. "12 master integrals without symmetries (8 with the family's symmetries left_right, up_down)"."""
    counts = master_counts(family, progress)
    text = f"{counts[WITHOUT_SYMMETRIES]} master integrals {WITHOUT_SYMMETRIES}"
    if counts[WITH_SYMMETRIES] is not None:
        names = ", ".join(name for name, _ in family.symmetries)
        text += f" ({counts[WITH_SYMMETRIES]} with the family's symmetries {names})"
    else:
        text += " (the family declares no symmetries)"
    return text
