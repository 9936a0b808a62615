"""Command line: `python -m solver reduce ...`; `manage.py reduce` calls `main(["reduce", *args])`.

  reduce FAMILY [--problem NAME | --target 1,1,..] [--rule laporta --r R --s S | --rule kira3 |
                 --rule kira3-floored | --rule kira3-floored-dots | --rule no-dots | --rule-file F.py]
                [--no-li] [--check N] [--json]
  reduce FAMILY --masters [--json]

FAMILY is a built-in name (solver/families/<name>.toml) or a path. Without --problem/--target every
problem of the family is reduced (and --json prints a list). The default rule is kira3-floored; laporta
defaults to R = r_top, S = s_top of each problem. Master counts are counted without symmetries (what
"complete" is judged against); --masters also gives the count with the symmetries a family file declares.
Errors: a message on stderr and exit status 2; exit status 1 when --check finds verdicts that disagree.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from solver.family import Family, FamilyError, Problem, load_family
from solver.integral import features, laporta_order
from solver.jsontext import to_json_text
from solver.masters import MastersError, describe_count, family_masters, family_masters_record
from solver.point import BadPoint
from solver.reduction import Result, reduce_problem
from solver.rules import BUILTIN, Rule, RuleError, laporta, load_rule_file
from solver.seeds import Tops

EXIT_USAGE = 2


class CliError(Exception):
    pass


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="solver", description="Seedtrace IBP reducer")
    commands = top.add_subparsers(dest="command", required=True)
    reduce = commands.add_parser("reduce", help="reduce a family's problems with a seeding rule")
    reduce.add_argument("family", help="built-in family name or path to a family .toml file")
    which = reduce.add_mutually_exclusive_group()
    which.add_argument("--problem", help="a problem named in the family file (default: all)")
    which.add_argument("--target", action="append", help="an index vector, e.g. 1,1,1,1,1,1,-3 (repeatable)")
    reduce.add_argument("--rule", default="kira3-floored", choices=["laporta", *BUILTIN])
    reduce.add_argument("--r", type=int, help="laporta: maximal r (default r_top)")
    reduce.add_argument("--s", type=int, help="laporta: maximal s (default s_top)")
    reduce.add_argument("--rule-file", help="Python file defining keep(seed) -> bool (trusted, local)")
    reduce.add_argument("--no-li", action="store_true", help="IBP identities only, no Lorentz invariance")
    reduce.add_argument("--check", type=int, default=1, help="reduce at N primes/points; verdicts must agree")
    reduce.add_argument("--point-seed", type=int, default=0, help="RNG seed of the numeric point")
    reduce.add_argument("--masters", action="store_true", help="print the family's master integrals")
    reduce.add_argument("--json", action="store_true", help="print JSON instead of a table")
    return top


def main(argv: list[str]) -> int:
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:  # argparse already printed the usage message
        return int(exc.code or 0) and EXIT_USAGE
    started = time.perf_counter()

    def progress(message: str) -> None:
        print(f"[{time.perf_counter() - started:6.1f} s] {message}", file=sys.stderr, flush=True)

    try:
        family = load_family(args.family)
        if args.masters:
            return _print_masters(family, args.json, progress)
        return _reduce(family, args, progress, started)
    except (FamilyError, RuleError, MastersError, BadPoint, CliError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE


def _problems(family: Family, args) -> list[Problem]:
    if args.target:
        targets = []
        for text in args.target:
            try:
                vector = tuple(int(x) for x in text.split(","))
            except ValueError:
                raise CliError(f"--target {text!r}: expected comma-separated integers") from None
            if len(vector) != family.n:
                raise CliError(f"--target {text!r}: {len(vector)} indices, the family has {family.n}")
            targets.append(vector)
        return [Problem("target", tuple(targets))]
    if args.problem:
        return [family.problem(args.problem)]
    if not family.problems:
        raise CliError(f"family {family.name!r} has no [[problems]]; give --target")
    return list(family.problems)


def _rule(args, problem: Problem) -> tuple[Rule, str]:
    if args.rule_file:
        return load_rule_file(args.rule_file), args.rule_file
    if args.rule == "laporta":
        tops = Tops.of(problem.targets)
        r_max = tops.r_top if args.r is None else args.r
        s_max = tops.s_top if args.s is None else args.s
        return laporta(r_max, s_max), f"laporta r<={r_max} s<={s_max}"
    return BUILTIN[args.rule], args.rule


def _reduce(family: Family, args, progress, started: float) -> int:
    problems = _problems(family, args)
    if args.check < 1:
        raise CliError("--check: must be at least 1")
    masters = family_masters(family, progress)
    results: list[tuple[str, Result]] = []
    for problem in problems:
        rule, rule_name = _rule(args, problem)
        if time.perf_counter() - started > 1:
            progress(f"reducing {problem.name} with {rule_name}")
        result = reduce_problem(
            family,
            problem.targets,
            rule,
            masters,
            li=not args.no_li,
            check=args.check,
            point_seed=args.point_seed,
            problem=problem.name,
        )
        results.append((rule_name, result))
    if args.json:
        payload = [dict(r.to_json(), rule=name) for name, r in results]
        print(to_json_text(payload[0] if (args.problem or args.target) else payload))
    else:
        print(_table(family, results))
    disagree = any(not c["agree"] for _, r in results for c in r.checks)
    return 1 if disagree else 0


def _table(family: Family, results: list[tuple[str, Result]]) -> str:
    head = [
        "problem", "rule", "complete", "seeds", "equations", "independent", "masters", "unreduced",
        "pivot steps", "fill-in", "ms",
    ]
    rows = [
        [
            r.problem or "-",
            name,
            "yes" if r.complete else "NO",
            r.seeds,
            r.equations,
            r.independent_equations,
            len(r.masters),
            len(r.unreduced),
            "-" if r.pivot_steps is None else r.pivot_steps,
            "-" if r.fill_in is None else r.fill_in,
            f"{r.seconds * 1000:.1f}",
        ]
        for name, r in results
    ]
    identities = "IBP + LI" if results[0][1].li else "IBP only"
    lines = [
        f"family {family.name}: {identities}, prime {results[0][1].prime}; {describe_count(family)}",
        "masters: the family's masters (counted without symmetries) each problem's targets reduce to",
    ]
    lines += _columns([head, *rows])
    for _, r in results:
        for c in r.checks:
            status = "agrees" if c["agree"] else "DISAGREES"
            lines.append(f"check {r.problem} at prime {c['prime']}: verdict {status}")
        if r.unreduced:
            shown = " ".join("(" + ",".join(map(str, u)) + ")" for u in r.unreduced[:5])
            more = f" … {len(r.unreduced) - 5} more" if len(r.unreduced) > 5 else ""
            lines.append(f"unreduced in {r.problem}: {shown}{more}")
    return "\n".join(lines)


def _columns(rows: list[list]) -> list[str]:
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            str(v).rjust(w) if i > 1 else str(v).ljust(w)
            for i, (v, w) in enumerate(zip(row, widths, strict=True))
        )
        for row in rows
    ]


def _print_masters(family: Family, as_json: bool, progress) -> int:
    record = family_masters_record(family, progress)
    masters = family_masters(family)
    if as_json:
        print(to_json_text(record))
        return 0
    print(
        f"family {family.name}: {describe_count(family)}; without symmetries stable from reference level "
        f"{record['reference']['level']} to {record['stability_check']['level']}"
    )
    print("\n".join(_master_rows(masters)))
    with_sym = record.get("with_symmetries")
    if with_sym:
        sym = np.array(with_sym["masters"], dtype=np.int64)
        names = ", ".join(with_sym["symmetries"])
        print(f"\nwith symmetries ({names}): {with_sym['count']} master integrals")
        print("\n".join(_master_rows([tuple(m) for m in sym[laporta_order(sym)].tolist()])))
    return 0


def _master_rows(masters: list[tuple[int, ...]]) -> list[str]:
    f = features(np.array(masters))
    rows = [["integral", "t", "r", "s", "sector"]]
    rows += [
        ["(" + ",".join(map(str, m)) + ")", f["t"][i], f["r"][i], f["s"][i], f["sector"][i]]
        for i, m in enumerate(masters)
    ]
    return _columns(rows)
