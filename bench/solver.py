"""Benchmark of the solver on the paper's problem: trianglebox, target I(1,1,1,1,1,1,-3) (problem rank3).

    .venv/bin/python bench/solver.py                 # the three systems of the solver issue
    .venv/bin/python bench/solver.py --runs 5 --json out.json
    .venv/bin/python bench/solver.py --baseline-big  # also time the naive baseline on 60,876 equations (slow)

Every case runs in its own subprocess (fresh interpreter, peak RSS taken from that child's rusage), so
cases do not pollute each other's memory or caches. In a case:

* one-off work is timed once and reported apart: loading the family, the symbolic derivation of the
  IBP/LI templates (sympy), zero-sector detection, evaluating the templates at the numeric point, the seed
  pool and the rule, and loading (or compiling) the numba kernels (elimination, then instantiation);
  compiling them from an empty cache is timed separately too;
* then a *solve* = instantiating the identities for the selected seeds at the point (numeric, CSR) +
  eliminating + back-substituting the target, repeated ``--runs`` times; the median is reported, split
  into its two parts;
* the naive baseline is the same instantiation followed by :mod:`solver.naive` (a straightforward
  dict-of-rows elimination), in its own subprocess. The ratio compares whole solves (baseline / fast).

Without ``--baseline-big`` the baseline of the 60,876-equation system is not run: the table then says so and
shows no ratio for it. Every ratio printed (and written to the JSON) compares two solves measured in this
run; DOMAIN.md's figures for the naive elimination (~0.2 s, ~2.4 s, ~367 s on a 2-core machine) are kept in
the JSON as ``domain_md_naive_s``, for reference only, and never divided by.

The elimination's own count of its work (pivot steps, multiply-adds, fill-in; solver.echelon.Work) is
printed per system: it does not depend on the machine's load.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder comes first on sys.path and its name would shadow the solver package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))
DEFAULT_JSON = ROOT / "bench" / "results" / "solver.json"

FAMILY = "trianglebox"
TARGET = (1, 1, 1, 1, 1, 1, -3)
# name -> (label, rule spec, goal seconds for the whole solve, DOMAIN.md's naive seconds). DOMAIN.md's
# figure: a straightforward pure-Python dict-of-rows modular elimination of the same system on a 2-core
# machine; kept in the JSON for reference, never used for a ratio (only solves of the same run are compared).
CASES = {
    "kira3": ("Kira-3 rule", "kira3", 0.010, 0.2),
    "nodots": ("no dots, s <= 3", "no-dots", 0.080, 2.4),
    "laporta": ("Laporta r <= 6, s <= 3", "laporta:6:3", 12.0, 367.0),
}
EXPECTED = {"kira3": (92, 828), "nodots": (444, 3996), "laporta": (6764, 60876)}
EXPECTED_MASTERS = 16


# ---------------------------------------------------------------- child side: one case, one kernel


def _rule(spec: str):
    from solver import rules

    if spec.startswith("laporta:"):
        _, r_max, s_max = spec.split(":")
        return rules.laporta(int(r_max), int(s_max))
    return rules.BUILTIN[spec]


def _child(case: str, kernel: str, runs: int) -> dict:
    import numpy as np

    clock = time.perf_counter
    one_off: dict[str, float] = {}

    t = clock()
    from solver.family import load_family
    from solver.identities import templates
    from solver.point import random_point
    from solver.rules import select
    from solver.sectors import zero_table
    from solver.seeds import SeedPool
    from solver.system import build_system, numeric_identities

    one_off["import"] = clock() - t

    t = clock()
    family = load_family(FAMILY)
    one_off["load_family"] = clock() - t
    t = clock()
    templates(family)
    one_off["symbolic_derivation"] = clock() - t
    t = clock()
    zero_table(family)
    one_off["zero_sectors"] = clock() - t
    point = random_point(family, 0)
    t = clock()
    numeric_identities(family, point)
    one_off["templates_at_point"] = clock() - t
    t = clock()
    pool = SeedPool(family, [TARGET])
    seeds = pool.indices[select(pool, _rule(CASES[case][1]))]
    one_off["seed_pool_and_rule"] = clock() - t

    if kernel == "fast":
        from solver import elimination

        t = clock()
        elimination.warm_up()
        one_off["numba_load_or_compile"] = clock() - t
        eliminate = elimination.eliminate
    else:
        from solver import naive

        eliminate = naive.eliminate
    # Both kernels use the same compiled instantiation; load it after the elimination kernel (as a reduction
    # does), outside the timed solves.
    from solver import system as system_module

    one_off["instantiation_numba_load_or_compile"] = system_module.warm_up()

    targets = np.array([TARGET], dtype=np.int64)
    inst, elim, total = [], [], []
    result = system = None
    for _ in range(runs):
        t0 = clock()
        system = build_system(family, point, seeds, targets)
        cols = system.columns(targets)
        t1 = clock()
        result = eliminate(system.n_cols, system.indptr, system.indices, system.data, system.prime, cols)
        t2 = clock()
        inst.append(t1 - t0)
        elim.append(t2 - t1)
        total.append(t2 - t0)
    reduced = result.reduced[int(cols[0])]
    work = result.work
    return {
        "case": case,
        "kernel": kernel,
        "seeds": int(len(seeds)),
        "equations": int(system.n_rows),
        "integrals": int(system.n_cols),
        "nonzeros": int(len(system.indices)),
        "rank": int(result.rank),
        "target_terms": None if reduced is None else int(len(reduced[0])),
        "runs": runs,
        "solve_median_s": statistics.median(total),
        "instantiation_median_s": statistics.median(inst),
        "elimination_median_s": statistics.median(elim),
        "solve_all_s": total,
        "one_off_s": one_off,
        "work": None if work is None else work.to_json(),
    }


# ---------------------------------------------------------------- parent side


def _run_child(case: str, kernel: str, runs: int) -> dict:
    """Run one case in a fresh interpreter; its peak RSS comes from that child's rusage."""
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--child",
        case,
        "--kernel",
        kernel,
        "--runs",
        str(runs),
    ]
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    import tempfile

    with tempfile.TemporaryFile() as errfile:  # stderr to a file: a chatty child cannot block on a full pipe
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=errfile, cwd=ROOT, env=env)
        out = proc.stdout.read()
        proc.stdout.close()
        _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage, so its own peak RSS
        proc.returncode = os.waitstatus_to_exitcode(status)
        errfile.seek(0)
        err = errfile.read()
    if proc.returncode != 0:
        raise RuntimeError(f"{case}/{kernel} failed ({proc.returncode}):\n{err.decode()}")
    data = json.loads(out.decode().strip().splitlines()[-1])
    data["peak_rss_mb"] = usage.ru_maxrss / 1024  # Linux: kilobytes
    return data


def _numba_cold_compile() -> dict:
    """Compile the kernels from scratch (an empty numba cache directory) in a fresh interpreter: the one-off
    cost on a new machine. A later process loads the cached machine code instead (numba_load_or_compile)."""
    import tempfile

    code = "from solver import elimination, system; print(elimination.warm_up(), system.warm_up())"
    with tempfile.TemporaryDirectory() as cache:
        env = dict(
            os.environ,
            NUMBA_CACHE_DIR=cache,
            PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""),
        )
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, check=True)
        compile_s, inst_compile_s = map(float, out.stdout.decode().split()[-2:])
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, check=True)
        load_s, inst_load_s = map(float, out.stdout.decode().split()[-2:])
    return {
        "compile_s": compile_s,
        "load_from_cache_s": load_s,
        "instantiation_compile_s": inst_compile_s,
        "instantiation_load_from_cache_s": inst_load_s,
    }


def _fmt_s(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{x * 1e3:.1f} ms" if x < 1 else f"{x:.2f} s"


def table_lines(rows: list[dict]) -> list[str]:
    """The printed table. A ratio is shown only where both solves were measured in this run (no ratio against
    a figure from elsewhere)."""
    head = (
        "system",
        "seeds / equations",
        "naive baseline",
        "fast solve (inst + elim)",
        "ratio",
        "goal",
        "peak RSS",
    )
    table = [head]
    for r in rows:
        base = _fmt_s(r["baseline_solve_median_s"]) if r["baseline_measured"] else "not run (--baseline-big)"
        fast_cell = (
            f"{_fmt_s(r['fast_solve_median_s'])} ({_fmt_s(r['fast_instantiation_median_s'])} + "
            f"{_fmt_s(r['fast_elimination_median_s'])})"
        )
        table.append(
            (
                r["system"],
                f"{r['seeds']:,} / {r['equations']:,}",
                base,
                fast_cell,
                "-" if r["ratio"] is None else f"{r['ratio']:.0f}x",
                ("<= " + _fmt_s(r["goal_s"])) + (" ok" if r["meets_goal"] else " MISSED"),
                f"{r['fast_peak_rss_mb']:.0f} MB",
            )
        )
    widths = [max(len(str(row[i])) for row in table) for i in range(len(head))]
    lines = []
    for k, row in enumerate(table):
        lines.append(" | ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)))
        if k == 0:
            lines.append("-+-".join("-" * w for w in widths))
    return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5, help="timed solves per case (median; at least 3)")
    ap.add_argument("--baseline-runs", type=int, default=3, help="timed naive solves per case (at least 3)")
    ap.add_argument(
        "--baseline-big", action="store_true", help="also run the naive baseline on 60,876 equations"
    )
    ap.add_argument("--cases", default=",".join(CASES), help=f"comma-separated subset of {','.join(CASES)}")
    ap.add_argument(
        "--json", type=Path, default=DEFAULT_JSON, help=f"where to write results ({DEFAULT_JSON})"
    )
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--kernel", default="fast", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.child:
        print(json.dumps(_child(args.child, args.kernel, args.runs)))
        return 0

    runs, baseline_runs = max(3, args.runs), max(3, args.baseline_runs)
    cases = [c.strip() for c in args.cases.split(",") if c.strip()]
    unknown = [c for c in cases if c not in CASES]
    if unknown:
        ap.error(f"unknown case(s): {', '.join(unknown)}")

    print("numba: compiling the kernels with an empty cache ...", file=sys.stderr, flush=True)
    numba_times = _numba_cold_compile()
    rows = []
    for case in cases:
        label, _, goal, domain_naive = CASES[case]
        print(f"[{case}] fast solver, {runs} runs ...", file=sys.stderr, flush=True)
        fast = _run_child(case, "fast", runs)
        naive = None
        if case != "laporta" or args.baseline_big:
            print(f"[{case}] naive baseline, {baseline_runs} runs ...", file=sys.stderr, flush=True)
            naive = _run_child(case, "naive", baseline_runs)
            if (naive["rank"], naive["target_terms"]) != (fast["rank"], fast["target_terms"]):
                raise RuntimeError(f"{case}: naive and fast disagree: {naive} vs {fast}")
        expected = EXPECTED[case]
        rows.append(
            {
                "case": case,
                "system": label,
                "seeds": fast["seeds"],
                "equations": fast["equations"],
                "expected_seeds_equations": list(expected),
                "as_expected": (fast["seeds"], fast["equations"]) == expected
                and fast["target_terms"] == EXPECTED_MASTERS,
                "integrals": fast["integrals"],
                "nonzeros": fast["nonzeros"],
                "rank": fast["rank"],
                "target_reduces_to": fast["target_terms"],
                "goal_s": goal,
                "fast_solve_median_s": fast["solve_median_s"],
                "fast_instantiation_median_s": fast["instantiation_median_s"],
                "fast_elimination_median_s": fast["elimination_median_s"],
                "fast_solve_all_s": fast["solve_all_s"],
                "fast_peak_rss_mb": fast["peak_rss_mb"],
                "baseline_measured": naive is not None,
                "baseline_solve_median_s": naive["solve_median_s"] if naive else None,
                "baseline_elimination_median_s": naive["elimination_median_s"] if naive else None,
                "baseline_peak_rss_mb": naive["peak_rss_mb"] if naive else None,
                "domain_md_naive_s": domain_naive,
                "ratio": naive["solve_median_s"] / fast["solve_median_s"] if naive else None,
                "ratio_elimination_only": (naive["elimination_median_s"] / fast["elimination_median_s"])
                if naive
                else None,
                "meets_goal": fast["solve_median_s"] <= goal,
                "one_off_s": fast["one_off_s"],
                "fast_work": fast["work"],
                "baseline_work": naive["work"] if naive else None,
            }
        )

    for line in table_lines(rows):
        print(line)
    print()
    for r in rows:
        print(
            f"{r['system']}: target reduces to {r['target_reduces_to']} masters, rank {r['rank']:,}, "
            f"{r['integrals']:,} integrals; seeds/equations as expected: {r['as_expected']}"
        )
        if r["fast_work"]:
            w = r["fast_work"]
            print(
                f"  elimination work: {w['pivot_steps']:,} pivot steps, "
                f"{w['multiply_adds']:,} multiply-adds, {w['fill_in']:,} fill-in, "
                f"{w['pivot_row_entries']:,} entries in pivot rows"
            )
    print(
        f"numba kernels: elimination compile {numba_times['compile_s']:.2f} s once per machine (cache=True), "
        f"then {numba_times['load_from_cache_s']:.2f} s to load per process; instantiation compile "
        f"{numba_times['instantiation_compile_s']:.2f} s, then "
        f"{numba_times['instantiation_load_from_cache_s']:.2f} s to load (after the elimination kernel)"
    )
    if rows:
        print(
            "one-off (first case's process, seconds): "
            + ", ".join(f"{k} {v:.3f}" for k, v in rows[0]["one_off_s"].items())
        )

    report = {
        "benchmark": "solver",
        "family": FAMILY,
        "target": list(TARGET),
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "loadavg_at_end": list(os.getloadavg()),
        },
        "runs": runs,
        "baseline_runs": baseline_runs,
        "numba": numba_times,
        "cases": rows,
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=1))
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
