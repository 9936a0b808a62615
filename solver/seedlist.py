"""A rule's seeds as a reducer reads them: Kira's integral notation and FIRE's.

Kira: one integral a line, `family[a1,...,aN]`, the notation of Kira's integral-list files (Kira 2,
arXiv:2008.06494). FIRE: a Mathematica list `{{n,{a1,...,aN}},...}` with n the problem number of the
family's `.start` file (FIRE6, arXiv:1901.07808). `read_kira` and `read_fire` read them back, so a list is
checked by a round trip; no reducer is run here.
"""

from __future__ import annotations

import re

import numpy as np

KIRA_LINE = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\[(-?\d+(?:\s*,\s*-?\d+)*)\]\s*$")
FIRE_ITEM = re.compile(r"\{\s*(\d+)\s*,\s*\{(-?\d+(?:\s*,\s*-?\d+)*)\}\s*\}")


def kira(family: str, seeds: np.ndarray) -> str:
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", family):
        raise ValueError(f"Kira needs a family name made of letters, digits and _, not {family!r}")
    return "".join(f"{family}[{','.join(map(str, row))}]\n" for row in np.asarray(seeds).tolist())


def read_kira(text: str) -> tuple[str | None, np.ndarray]:
    """(the family named, the integrals as rows); comments (#) and blank lines skipped."""
    names, rows = set(), []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = KIRA_LINE.match(line)
        if match is None:
            raise ValueError(f"line {number} is no Kira integral: {line[:80]!r}")
        names.add(match.group(1))
        rows.append([int(a) for a in match.group(2).split(",")])
    if len(names) > 1:
        raise ValueError(f"integrals of several families: {sorted(names)}")
    return (names.pop() if names else None), np.array(rows, dtype=np.int64)


def fire(seeds: np.ndarray, problem_number: int = 1) -> str:
    items = ",\n".join(
        f"{{{problem_number},{{{','.join(map(str, row))}}}}}" for row in np.asarray(seeds).tolist()
    )
    return "{" + items + "}\n"


def read_fire(text: str) -> np.ndarray:
    return np.array(
        [[int(a) for a in m.group(2).split(",")] for m in FIRE_ITEM.finditer(text)], dtype=np.int64
    )
