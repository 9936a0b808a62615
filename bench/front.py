#!/usr/bin/env python
"""Front bench: does a Pareto objective spread the search along the front of seeds against a cost?

    .venv/bin/python bench/front.py                               # 3 seeds, 1,500 evaluations each
    .venv/bin/python bench/front.py --seeds 1 --evaluations 400   # a quick look
    .venv/bin/python bench/front.py --axis multiply_adds --problems rank1,rank2,rank3

For each seed, the same GP search (`manage.py evolve --engine gp`, the three literature rules and random
programs to start, one worker, a budget of N evaluations, so a seed's run is the same run on any machine,
loaded or not) is run twice on a scratch SQLite database of its own, once per objective:

- `seeds`: the paper's measure, the default;
- `pareto(seeds,AXIS)`: parents drawn by their distance from the island's front (evolution.objective).

Both runs of a seed run side by side (2 processes). Then, from each run's records, the candidates complete
on every problem, by seeds and AXIS summed over the problems: the front (points no other has as few or
fewer of both, fewer of one), its size, and the area it dominates up to the reference point (the
hypervolume: the larger, the more of the trade-off the run found). The reference point is the worst of the
literature rules that are complete everywhere, the same for both runs of a seed (the founders are the
same), so the area is what the run found beyond what it was given. That box is large (Laporta's thousands of
seeds), so each run's share of the area the union of both runs' fronts dominates (up to 10 % beyond their
worst front point) is reported too: 1.0 for a run whose front dominates the other's. Reported per seed and
as medians, with the Pareto run's area over the seeds run's, measured side by side.

AXIS (default pivot_row_entries, the entries the reduced system stores: a reducer's memory) is one of the
elimination's counts (solver.reduction.WORK_FIELDS); on the trianglebox with a dotted target it trades
against the seeds, where multiply_adds and the equations grew with them in every run measured.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

from bench._common import RESULTS, child_env, machine, median, print_table, write_report  # noqa: E402
from solver.literature import KIRA3, KIRA3_FLOORED, LAPORTA  # noqa: E402

DEFAULT_JSON = RESULTS / "front.json"
COUNTS = ("equations", "pivots", "pivot_steps", "multiply_adds", "fill_in", "pivot_row_entries")
FOUNDERS = (LAPORTA, KIRA3, KIRA3_FLOORED)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    objectives = ("seeds", f"pareto(seeds,{args.axis})")
    scratch = Path(tempfile.mkdtemp(prefix="seedtrace-front-"))
    at_start = machine()
    try:
        template = _migrated(scratch)
        rows = []
        for seed in range(args.first_seed, args.first_seed + args.seeds):
            runs = _side_by_side(seed, objectives, template, scratch, args)
            reference = _reference([run["founders"] for run in runs])
            for run in runs:
                run.update(area=_area(run["front"], reference), reference=list(reference))
                del run["founders"]
            _shares(runs)
            rows.append({"seed": seed, "runs": runs})
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    report = _report(rows, objectives, args, at_start)
    _print(report)
    write_report(report, args.json)
    return 0


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=int, default=3, help="random seeds (default 3)")
    ap.add_argument("--first-seed", type=int, default=1)
    ap.add_argument("--evaluations", type=int, default=1500, help="each run's budget (default 1500)")
    ap.add_argument("--problems", default="rank1,rank2,rank3,dot1", help="trianglebox problems trained on")
    ap.add_argument("--axis", default="pivot_row_entries", choices=COUNTS, help="the cost against seeds")
    ap.add_argument("--keep", action="store_true", help="keep the scratch databases")
    ap.add_argument("--json", type=Path, default=DEFAULT_JSON)
    return ap


def _migrated(scratch: Path) -> Path:
    path = scratch / "template.sqlite3"
    env = child_env(DATABASE_URL=f"sqlite:///{path}", SEEDTRACE_VAR_DIR=str(scratch / "var"))
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                   check=True)
    return path


def _side_by_side(seed: int, objectives, template: Path, scratch: Path, args) -> list[dict]:
    started = []
    for k, objective in enumerate(objectives):
        db = scratch / f"seed{seed}-{k}.sqlite3"
        shutil.copyfile(template, db)
        env = child_env(DATABASE_URL=f"sqlite:///{db}", SEEDTRACE_VAR_DIR=str(scratch / f"var{seed}-{k}"))
        cmd = [sys.executable, "manage.py", "evolve", "--family", "trianglebox", "--problem", args.problems,
               "--engine", "gp", "--budget", str(args.evaluations), "--workers", "1", "--seed", str(seed),
               "--founders", ",".join(rule.name for rule in FOUNDERS), "--objective", objective,
               "--project", "bench-front", "--json", "-v", "0"]
        print(f"[seed {seed}] --objective {objective}", file=sys.stderr, flush=True)
        started.append((objective, db, time.monotonic(),
                        subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.PIPE, text=True)))
    runs = []
    for objective, db, began, proc in started:
        _, err = proc.communicate()
        if proc.returncode != 0:
            raise SystemExit(f"evolve --objective {objective} failed ({proc.returncode}):\n{err[-2000:]}")
        runs.append({"objective": objective, "minutes": round((time.monotonic() - began) / 60, 2),
                     **_read(db, args.axis, len(args.problems.split(",")))})
    return runs


def _read(db: Path, axis: str, problems: int) -> dict:
    """The run's candidates complete on every problem, by (seeds, axis) in all; its front; the founders'."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        rows = conn.execute(
            "SELECT e.candidate_id, c.source, e.seeds, e.equations, e.details FROM provenance_evaluation e "
            "JOIN provenance_candidate c ON c.id = e.candidate_id WHERE e.verdict = 'complete'").fetchall()
        evaluated = conn.execute("SELECT count(DISTINCT candidate_id) FROM provenance_evaluation")
        evaluated = evaluated.fetchone()[0]
    totals: dict[int, list] = {}
    sources: dict[int, str] = {}
    for candidate, source, seeds, equations, details in rows:
        value = equations if axis == "equations" else (json.loads(details).get("work") or {}).get(axis)
        total = totals.setdefault(candidate, [0, 0, 0])
        total[0] += 1
        total[1] += seeds
        total[2] += value
        sources[candidate] = source
    points = {c: (t[1], t[2]) for c, t in totals.items() if t[0] == problems}
    front = _front(set(points.values()))
    founders = [p for c, p in points.items() if sources[c] in {rule.source for rule in FOUNDERS}]
    return {"evaluated": evaluated, "complete_everywhere": len(points),
            "best_seeds": min(p[0] for p in front), "front": [list(p) for p in front],
            "front_size": len(front), "founders": founders}


def _front(points: set[tuple[int, int]]) -> list[tuple[int, int]]:
    """The points no other dominates, by seeds (a sweep: each has less cost than every point before it)."""
    front, lowest = [], None
    for seeds, cost in sorted(points):
        if lowest is None or cost < lowest:
            front.append((seeds, cost))
            lowest = cost
    return front


def _reference(founders: list[list[tuple[int, int]]]) -> tuple[int, int]:
    every = [p for points in founders for p in points]
    return max(p[0] for p in every), max(p[1] for p in every)


def _area(front: list[list[int]], reference: tuple[int, int]) -> float:
    """The area the front dominates inside the box up to the reference point (0 where it dominates none)."""
    area, right = 0.0, reference[0]
    inside = [(s, c) for s, c in front if s < reference[0] and c < reference[1]]
    for seeds, cost in reversed(inside):  # most seeds (least cost) first
        area += (right - seeds) * (reference[1] - cost)
        right = seeds
    return area


def _shares(runs: list[dict]) -> None:
    """Each run's share of the area the union of the runs' fronts dominates, up to a reference 10 % beyond
    their worst front point: the founders' box above is so large that it hides how the fronts differ."""
    points = {tuple(p) for run in runs for p in run["front"]}
    local = (1.1 * max(p[0] for p in points), 1.1 * max(p[1] for p in points))
    union = _area([list(p) for p in _front(points)], local)
    for run in runs:
        run["share_of_union"] = round(_area(run["front"], local) / union, 4) if union else None


def _report(rows: list[dict], objectives, args, at_start: dict) -> dict:
    by = {o: [next(r for r in row["runs"] if r["objective"] == o) for row in rows] for o in objectives}
    ratios = [p["area"] / s["area"] if s["area"] else None for s, p in zip(*by.values(), strict=True)]
    summary = {o: {"median_front_size": median([r["front_size"] for r in runs]),
                   "median_area": median([r["area"] for r in runs]),
                   "median_share_of_union": median([r["share_of_union"] for r in runs]),
                   "median_best_seeds": median([r["best_seeds"] for r in runs]),
                   "median_minutes": median([r["minutes"] for r in runs])} for o, runs in by.items()}
    return {"bench": "front", "axis": args.axis, "problems": args.problems, "evaluations": args.evaluations,
            "machine": at_start, "seeds": rows, "summary": summary,
            "area_ratio_per_seed": ratios, "median_area_ratio": median(ratios)}


def _print(report: dict) -> None:
    axis = report["axis"]
    print(f"\nFront bench: trianglebox {report['problems']}, {report['evaluations']} evaluations a run, "
          f"seeds against {axis}")
    rows = []
    for row in report["seeds"]:
        for run in row["runs"]:
            rows.append((row["seed"], run["objective"], run["evaluated"], run["minutes"], run["best_seeds"],
                         run["front_size"], f"{run['area']:.4g}", run["share_of_union"],
                         " ".join(f"({s},{c})" for s, c in run["front"][:6])
                         + (" …" if len(run["front"]) > 6 else "")))
    head = ("seed", "objective", "evaluated", "min", "best seeds", "front", "area", "share of union",
            f"front (seeds,{axis})")
    print_table(head, rows, out=sys.stdout)
    print()
    print_table(("objective", "median front size", "median area", "median share of union",
                 "median best seeds", "median min"),
                [(o, s["median_front_size"], f"{s['median_area']:.4g}", s["median_share_of_union"],
                  s["median_best_seeds"], s["median_minutes"]) for o, s in report["summary"].items()],
                out=sys.stdout)
    ratio = report["median_area_ratio"]
    print(f"\narea, Pareto run over seeds run, per seed: "
          f"{', '.join('-' if r is None else f'{r:.2f}' for r in report['area_ratio_per_seed'])}; "
          f"median {'-' if ratio is None else f'{ratio:.2f}'}")


if __name__ == "__main__":
    sys.exit(main())
