"""Feynman-integral families: the TOML family file, parsed and validated.

Every refusal is a FamilyError whose message starts with the field it is about, so a physicist editing a
file by hand sees at once which line to fix.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import sympy

from solver import expression

FAMILIES_DIR = Path(__file__).resolve().parent / "families"

# Symbol names: an ASCII letter, then ASCII letters and digits. No underscore, so no dunder can be
# declared, and no unicode, so a look-alike letter cannot pass for another.
_SYMBOL_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*")
# Names of symmetries are labels, never symbols: underscores allowed (left_right).
_LABEL = re.compile(r"[A-Za-z][A-Za-z0-9_]*")


class FamilyError(ValueError):
    """A family file that cannot be used; the message names the field and the reason."""

    def __init__(self, field_name: str, reason: str):
        super().__init__(f"{field_name}: {reason}")
        self.field = field_name
        self.reason = reason


@dataclass(frozen=True)
class Problem:
    name: str
    targets: tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class Family:
    name: str
    description: str
    loop_momenta: tuple[str, ...]
    external_momenta: tuple[str, ...]
    invariants: tuple[str, ...]
    propagators: tuple[str, ...]
    top_sector: tuple[int, ...]
    scalar_products: tuple[tuple[str, str], ...]  # (key as written, value as written)
    problems: tuple[Problem, ...]
    source_hash: str
    path: Path | None = field(default=None, compare=False)
    # Declared symmetries: (name, σ) with σ 1-based, D_j ↦ D_σ(j), checked to leave U and F unchanged
    # (solver.symmetries). Used only to count masters with symmetries; reductions never use them.
    symmetries: tuple[tuple[str, tuple[int, ...]], ...] = ()
    # The problems an evolution trains on when none are named (`default_problems`; all when not given):
    # the others are there to be named, or held out.
    default_names: tuple[str, ...] = ()

    @property
    def default_problems(self) -> tuple[Problem, ...]:
        if not self.default_names:
            return self.problems
        return tuple(self.problem(name) for name in self.default_names)

    @property
    def n(self) -> int:
        return len(self.propagators)

    @property
    def top_mask(self) -> int:
        return sum(1 << j for j, line in enumerate(self.top_sector) if line)

    def problem(self, name: str) -> Problem:
        for problem in self.problems:
            if problem.name == name:
                return problem
        known = ", ".join(p.name for p in self.problems) or "none"
        raise FamilyError("problems", f"no problem named {name!r} (known: {known})")


# A family file is data: its expressions are read by solver.expression's own bounded grammar, never by
# sympy's parser (which evaluates Python), so nothing in a file can run code or burn the CPU.
def parse_expression(text: str, symbols: dict[str, sympy.Symbol], field_name: str) -> sympy.Expr:
    """Parse `text` (integers, declared symbols, + - * / ^ and parentheses); FamilyError naming the field."""
    try:
        return expression.parse(text, symbols)
    except expression.ExpressionError as exc:
        raise FamilyError(field_name, str(exc)) from None


def load_family(name_or_path: str | Path) -> Family:
    """A built-in family by name (solver/families/<name>.toml) or any family file by path."""
    path = Path(name_or_path)
    if not path.suffix and not path.exists():
        path = FAMILIES_DIR / f"{name_or_path}.toml"
    if not path.is_file():
        builtin = ", ".join(sorted(p.stem for p in FAMILIES_DIR.glob("*.toml")))
        raise FamilyError("family", f"no family file {str(name_or_path)!r} (built-in: {builtin})")
    return parse_family(path.read_bytes(), path)


def parse_family(raw: bytes | str, path: Path | None = None) -> Family:
    data = raw.encode() if isinstance(raw, str) else raw
    try:
        doc = tomllib.loads(data.decode())
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise FamilyError("file", f"not valid TOML ({exc})") from None
    family = _build(doc, hashlib.sha256(data).hexdigest(), path)
    # Deferred import: kinematics needs Family, and validation of the basis needs kinematics.
    from solver.kinematics import kinematics

    kinematics(family)  # refuses non-quadratic propagators, missing products, singular bases
    _check_problems(family)
    if family.symmetries:
        from solver.symmetries import check_symmetries

        check_symmetries(family)  # refuses a permutation that is not a symmetry of U and F
    return family


# A kinematic point is recorded as {"prime": p, "d": d, invariant: value, ...}: an invariant of either name
# would overwrite the dimension or the prime in every stored evaluation.
RESERVED_NAMES = {"d": "the space-time dimension", "prime": "the prime of the finite field"}


def _strings(doc: dict, key: str, required: bool = True, names: bool = True) -> tuple[str, ...]:
    value = doc.get(key)
    if value is None and not required:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise FamilyError(key, "expected a list of strings")
    if len(set(value)) != len(value):
        raise FamilyError(key, "duplicate entries")
    for name in value if names else ():
        if not _SYMBOL_NAME.fullmatch(name):
            rule = "a letter, then letters and digits ([A-Za-z][A-Za-z0-9]*)"
            raise FamilyError(key, f"{name!r} is not a valid symbol name: use {rule}")
        if name in RESERVED_NAMES:
            raise FamilyError(key, f"{name!r} is reserved ({RESERVED_NAMES[name]}); choose another name")
    return tuple(value)


def _index_vector(value, n: int, field_name: str) -> tuple[int, ...]:
    if not isinstance(value, list) or not all(isinstance(v, int) and not isinstance(v, bool) for v in value):
        raise FamilyError(field_name, "expected a list of integers")
    if len(value) != n:
        raise FamilyError(field_name, f"has {len(value)} entries, the family has {n} propagators")
    return tuple(value)


def _build(doc: dict, source_hash: str, path: Path | None) -> Family:
    name = doc.get("name")
    if not isinstance(name, str) or not name.strip():
        raise FamilyError("name", "expected a non-empty string")
    loops = _strings(doc, "loop_momenta")
    externals = _strings(doc, "external_momenta", required=False)
    invariants = _strings(doc, "invariants", required=False)
    if not loops:
        raise FamilyError("loop_momenta", "at least one loop momentum is needed")
    clash = (set(loops) | set(externals)) & set(invariants) or set(loops) & set(externals)
    if clash:
        raise FamilyError("invariants", f"{', '.join(sorted(clash))} declared twice")
    propagators = _strings(doc, "propagators", names=False)
    n_loops, n_ext = len(loops), len(externals)
    expected = n_loops * (n_loops + 1) // 2 + n_loops * n_ext
    if len(propagators) != expected:
        raise FamilyError(
            "propagators",
            f"{len(propagators)} given, a family with {n_loops} loop and {n_ext} external momenta needs "
            f"N = L(L+1)/2 + L*E = {expected}",
        )
    top = _index_vector(doc.get("top_sector", [1] * expected), expected, "top_sector")
    if any(v not in (0, 1) for v in top) or not any(top):
        raise FamilyError("top_sector", "expected 0/1 entries with at least one line (1)")
    products = doc.get("scalar_products", {})
    if not isinstance(products, dict) or not all(isinstance(v, str) for v in products.values()):
        raise FamilyError("scalar_products", 'expected a table of "p1*p2" = "expression" strings')
    return Family(
        name=name,
        description=str(doc.get("description", "")),
        loop_momenta=loops,
        external_momenta=externals,
        invariants=invariants,
        propagators=propagators,
        top_sector=top,
        scalar_products=tuple(products.items()),
        problems=_problems(doc.get("problems", []), expected),
        source_hash=source_hash,
        path=path,
        symmetries=_symmetries(doc.get("symmetries", {}), expected),
        default_names=_strings(doc, "default_problems", required=False, names=False),
    )


MAX_SYMMETRIES = 64  # generators are enough: the double box needs 2, a family rarely has more than a few


def _symmetries(raw, n: int) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """[symmetries] name = [σ(1), ..., σ(N)]: a permutation of 1..N, propagator D_j ↦ D_σ(j)."""
    if not isinstance(raw, dict):
        raise FamilyError("symmetries", 'expected a table of name = [permutation of 1..N] entries')
    if len(raw) > MAX_SYMMETRIES:  # each is checked against U and F with sympy when the file is read
        raise FamilyError("symmetries", f"{len(raw)} declared, at most {MAX_SYMMETRIES}")
    out = []
    for name, value in raw.items():
        where = f"symmetries.{name}"
        if not _LABEL.fullmatch(name):
            raise FamilyError(where, "a name is a letter, then letters, digits and underscores")
        sigma = _index_vector(value, n, where)
        if sorted(sigma) != list(range(1, n + 1)):
            raise FamilyError(where, f"expected a permutation of 1..{n} (D_j becomes D_sigma(j))")
        if sigma == tuple(range(1, n + 1)):
            raise FamilyError(where, "the identity is not a symmetry worth declaring")
        out.append((name, sigma))
    return tuple(out)


def _problems(raw, n: int) -> tuple[Problem, ...]:
    if not isinstance(raw, list):
        raise FamilyError("problems", "expected an array of tables [[problems]]")
    problems = []
    for i, entry in enumerate(raw):
        where = f"problems[{i}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
            raise FamilyError(f"{where}.name", "each problem needs a name")
        targets = entry.get("targets")
        if not isinstance(targets, list) or not targets:
            raise FamilyError(f"{where}.targets", "expected a non-empty list of index vectors")
        vectors = tuple(_index_vector(t, n, f"{where}.targets") for t in targets)
        problems.append(Problem(entry["name"], vectors))
    names = [p.name for p in problems]
    if len(set(names)) != len(names):
        raise FamilyError("problems", "duplicate problem names")
    return tuple(problems)


def _check_problems(family: Family) -> None:
    from solver.sectors import is_zero_sector, sector_of

    for i, problem in enumerate(family.problems):
        for target in problem.targets:
            where = f"problems[{i}].targets"
            mask = sector_of(target)
            if mask & ~family.top_mask:
                raise FamilyError(where, f"{list(target)} has a line outside the top sector")
            if is_zero_sector(family, mask):
                raise FamilyError(where, f"{list(target)} lies in a zero (scaleless) sector")
    unknown = [name for name in family.default_names if name not in {p.name for p in family.problems}]
    if unknown:
        raise FamilyError("default_problems", f"no problem named {', '.join(unknown)}")
