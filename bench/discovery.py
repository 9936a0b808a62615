#!/usr/bin/env python
"""Discovery bench: how long GP from the Laporta start takes to find the Kira-3 rule, and to beat it.

    .venv/bin/python bench/discovery.py                          # 3 seeds, rank3, 60 min each, 2 workers
    .venv/bin/python bench/discovery.py --seeds 1 --minutes 5    # a quick look
    .venv/bin/python bench/discovery.py --all-ranks              # one rule for rank1..rank4 (< 490 seeds)
    .venv/bin/python bench/discovery.py --json out.json

Each seed runs `manage.py evolve --family trianglebox --engine gp` as a subprocess in the embedded default
(SQLite + eager Celery; with --workers > 1 the local process pool) on a scratch SQLite database of its own
under a temporary directory (var/seedtrace.sqlite3 is never touched), with a budget far above what fits the
time limit. While it runs, the bench reads the run's records (read-only): the first Evaluation set with
every problem complete and at most N seeds in total is found by its recorded_at, measured from the run's
start (RunState.started_at, when the controller begins; the process start-up before it is reported apart).

Default mode (goals of issue 4, on trianglebox rank3): minutes to the first complete rule with <= 92 seeds
(Kira-3's count; goal <= 15 min median) and <= 88 seeds (the paper's GP result; goal <= 60 min median).
A seed's run stops as soon as both are reached or its time is up.

--all-ranks: problems rank1..rank4 together; a run goes the full --minutes and the bench reports the best
total found (goal: fewer than the floored Kira-3 rule's 490), its rule and its seeds per rank, and the
minutes to the first total below 490.

Numbers are wall-clock on a shared machine: the load average before and after each seed is recorded.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder comes first on sys.path: bench/solver.py would shadow the solver
# package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

from bench._common import RESULTS, child_env, fmt, machine, median, print_table  # noqa: E402

DEFAULT_JSON = RESULTS / "discovery.json"
FAMILY = "trianglebox"
RANK3_THRESHOLDS = (92, 88)  # Kira-3's seeds; the GP rule of arXiv:2502.05121
RANK3_GOALS_MIN = {92: 15.0, 88: 60.0}  # median minutes
ALL_RANKS = ("rank1", "rank2", "rank3", "rank4")
FLOORED_KIRA3_TOTAL = 490  # 88 + 89 + 108 + 205 seeds on rank1..rank4
BUDGET = 10_000_000  # never reached: the time limit stops a run
POLL_SECONDS = 2.0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=int, default=3, help="random seeds, i.e. independent runs (default 3)")
    ap.add_argument("--first-seed", type=int, default=1, help="the seeds are first-seed, first-seed+1, ...")
    ap.add_argument("--minutes", type=float, default=60.0, help="time limit per seed's run (default 60)")
    ap.add_argument("--workers", type=int, default=2, help="evaluations in flight (embedded local pool)")
    ap.add_argument("--problems", default=None, help="comma-separated problems (default rank3)")
    ap.add_argument("--all-ranks", action="store_true", help="rank1..rank4 together, best total vs 490")
    ap.add_argument("--thresholds", default=None,
                    help="seed totals to time (default 92,88; with --all-ranks 489)")
    ap.add_argument("--population", type=int, default=None, help="passed to evolve (its default otherwise)")
    ap.add_argument("--islands", type=int, default=None, help="passed to evolve (its default otherwise)")
    ap.add_argument("--cap", default=None, help="passed to evolve (its default otherwise)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch databases (their paths go in JSON)")
    ap.add_argument("--json", type=Path, default=None, help=f"where to write results ({DEFAULT_JSON}, or "
                    "discovery-all-ranks.json with --all-ranks)")
    args = ap.parse_args(argv)

    if args.all_ranks and args.problems:
        ap.error("--all-ranks sets the problems itself")
    problems = ALL_RANKS if args.all_ranks else tuple((args.problems or "rank3").split(","))
    if args.thresholds:
        thresholds = tuple(int(x) for x in args.thresholds.split(","))
    else:
        thresholds = (FLOORED_KIRA3_TOTAL - 1,) if args.all_ranks else RANK3_THRESHOLDS
    thresholds = tuple(sorted(thresholds, reverse=True))
    out = args.json or (RESULTS / ("discovery-all-ranks.json" if args.all_ranks else "discovery.json"))
    stop_early = not args.all_ranks  # the all-ranks question is the best total within the time

    at_start = machine()
    scratch = Path(tempfile.mkdtemp(prefix="seedtrace-discovery-"))
    try:
        template = _migrated_template(scratch)
        runs = []
        for i in range(args.seeds):
            seed = args.first_seed + i
            runs.append(_one_seed(seed, template, scratch, problems, thresholds, args, stop_early))
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)

    report = _report(runs, problems, thresholds, args, at_start)
    _print(report)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1) + "\n")
    print(f"wrote {out}")
    return 0


# ---------------------------------------------------------------- running one seed


def _migrated_template(scratch: Path) -> Path:
    """Migrate once; every seed starts from a copy, so each run has a fresh database of its own."""
    path = scratch / "template.sqlite3"
    print("migrating a scratch SQLite database ...", file=sys.stderr, flush=True)
    env = child_env(DATABASE_URL=f"sqlite:///{path}", SEEDTRACE_VAR_DIR=str(scratch / "var"))
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                   check=True)
    return path


def _one_seed(seed: int, template: Path, scratch: Path, problems, thresholds, args, stop_early) -> dict:
    db = scratch / f"seed{seed}.sqlite3"
    shutil.copyfile(template, db)
    var = scratch / f"var{seed}"
    env = child_env(DATABASE_URL=f"sqlite:///{db}", SEEDTRACE_VAR_DIR=str(var))
    cmd = [sys.executable, "manage.py", "evolve", "--family", FAMILY, "--problem", ",".join(problems),
           "--engine", "gp", "--budget", str(BUDGET), "--workers", str(args.workers), "--seed", str(seed),
           "--json", "--project", "bench-discovery", "--title", f"bench/discovery.py seed {seed}"]
    for name in ("population", "islands", "cap"):
        if getattr(args, name) is not None:
            cmd += [f"--{name}", str(getattr(args, name))]
    log = scratch / f"seed{seed}.log"
    load_before = list(os.getloadavg())
    print(f"[seed {seed}] {' '.join(cmd[1:])}", file=sys.stderr, flush=True)
    launched_wall = datetime.now(UTC)
    launched = time.monotonic()
    limit = args.minutes * 60
    with open(log, "w") as log_file:
        # A session of its own: the controller, its pool processes and their sandboxes stop together.
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT,
                                start_new_session=True)
    watch = _Watcher(db, problems, thresholds)
    why = "time limit"
    last_note = 0.0
    try:
        while True:
            time.sleep(POLL_SECONDS)
            watch.poll()
            elapsed = time.monotonic() - launched
            if proc.poll() is not None:
                why = f"evolve exited ({proc.returncode})"
                break
            if stop_early and watch.all_reached():
                why = "both thresholds reached" if len(thresholds) == 2 else "thresholds reached"
                break
            run_minutes = watch.run_minutes()
            if (run_minutes is not None and run_minutes * 60 >= limit) or elapsed >= limit + 120:
                break
            if elapsed - last_note >= 30:
                last_note = elapsed
                print(f"[seed {seed}] {watch.note()}", file=sys.stderr, flush=True)
    finally:
        _stop(proc)
    watch.poll()
    watch.final()
    result = watch.summary()
    result.update(seed=seed, stopped=why, returncode=proc.returncode, load_before=load_before,
                  load_after=list(os.getloadavg()),
                  startup_seconds=None if watch.started is None else
                  round((watch.started - launched_wall).total_seconds(), 2),
                  log_tail=log.read_text()[-1500:])
    if args.keep:
        result["database"] = str(db)
    print(f"[seed {seed}] {why}: {watch.note()}", file=sys.stderr, flush=True)
    return result


def _stop(proc: subprocess.Popen) -> None:
    """Ctrl-C to the run's process group (the controller records the run as interrupted), then harder."""
    for sig, grace in ((signal.SIGINT, 20), (signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        if proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            continue


class _Watcher:
    """Reads a run's records from its SQLite file (read-only) while `evolve` writes them."""

    def __init__(self, db: Path, problems, thresholds):
        self.db, self.problems, self.thresholds = db, tuple(problems), thresholds
        self.last_id = 0
        self.partial: dict[int, dict] = {}  # candidate -> {problem: (verdict, seeds, recorded_at)}
        self.started: datetime | None = None
        self.first: dict[int, dict] = {}  # threshold -> {candidate, seeds, minutes, evaluations_before}
        self.best: dict | None = None  # fewest total seeds, complete on every problem
        self.complete_rules = 0
        self.state: dict = {}
        self.ended: datetime | None = None

    def _connect(self):
        return sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=30)

    def poll(self) -> None:
        try:
            conn = self._connect()
        except sqlite3.OperationalError:
            return
        try:
            self._read(conn)
        except sqlite3.OperationalError as error:
            # No tables yet, locked past the timeout, or a read-only reader that found the WAL mid-checkpoint
            # ("attempt to write a readonly database"): all pass by the next poll.
            if not any(why in str(error) for why in ("no such table", "locked", "readonly")):
                raise
        finally:
            conn.close()

    def _read(self, conn) -> None:
        row = conn.execute("SELECT started_at, candidates, evaluations, failures, updated_at "
                           "FROM evolution_runstate ORDER BY run_id LIMIT 1").fetchone()
        if row is None:
            return
        if row[0] and self.started is None:
            self.started = _when(row[0])
        self.state = {"candidates": row[1], "evaluations": row[2], "failures": row[3]}
        self.updated = _when(row[4]) if row[4] else None
        rows = conn.execute("SELECT id, candidate_id, problem, verdict, seeds, recorded_at "
                            "FROM provenance_evaluation WHERE id > ? ORDER BY id", (self.last_id,)).fetchall()
        for pk, candidate, problem, verdict, seeds, recorded_at in rows:
            self.last_id = pk
            got = self.partial.setdefault(candidate, {})
            got[problem] = (verdict, seeds, _when(recorded_at))
            if len(got) == len(self.problems):
                self._consider(candidate, self.partial.pop(candidate))

    def _consider(self, candidate: int, got: dict) -> None:
        if not all(got.get(p, ("",))[0] == "complete" for p in self.problems):
            return
        self.complete_rules += 1
        total = sum(got[p][1] for p in self.problems)
        when = max(g[2] for g in got.values())
        minutes = None if self.started is None else (when - self.started).total_seconds() / 60
        found = {"candidate": candidate, "seeds": total, "minutes": minutes,
                 "per_problem": {p: got[p][1] for p in self.problems}}
        if self.best is None or total < self.best["seeds"]:
            self.best = found
        for threshold in self.thresholds:
            if total <= threshold and threshold not in self.first:
                self.first[threshold] = found

    def all_reached(self) -> bool:
        return all(t in self.first for t in self.thresholds)

    def run_minutes(self) -> float | None:
        if self.started is None:
            return None
        return (datetime.now(UTC) - self.started).total_seconds() / 60

    def note(self) -> str:
        best = "-" if self.best is None else f"{self.best['seeds']} seeds"
        reached = ", ".join(f"<= {t}: {self.first[t]['minutes']:.1f} min" for t in self.thresholds
                            if t in self.first) or "no threshold yet"
        minutes = self.run_minutes()
        return (f"{self.state.get('evaluations', 0)} evaluated, best {best}, {reached}, "
                f"{fmt(minutes)} min into the run")

    def final(self) -> None:
        """The run's end and the best rule's source, read once the process has stopped."""
        conn = self._connect()
        try:
            row = conn.execute("SELECT finished_at, updated_at FROM evolution_runstate "
                               "ORDER BY run_id LIMIT 1").fetchone()
            if row is not None:
                self.ended = _when(row[0] or row[1])
            for found in [self.best, *self.first.values()]:
                if found is not None and "source" not in found:
                    found["source"] = conn.execute("SELECT source FROM provenance_candidate WHERE id = ?",
                                                   (found["candidate"],)).fetchone()[0]
        finally:
            conn.close()

    def summary(self) -> dict:
        seconds = None
        if self.started is not None and self.ended is not None:
            seconds = max(1e-9, (self.ended - self.started).total_seconds())
        evaluations = self.state.get("evaluations", 0)
        return {
            "run_minutes": None if seconds is None else seconds / 60,
            "candidates": self.state.get("candidates", 0),
            "evaluations": evaluations,
            "failures": self.state.get("failures", 0),
            "evaluations_per_second": None if not seconds else evaluations / seconds,
            "complete_rules": self.complete_rules,
            "first": {str(t): self.first.get(t) for t in self.thresholds},
            "best": self.best,
        }


def _when(text: str) -> datetime:
    """Django's SQLite datetimes are UTC text without an offset."""
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


# ---------------------------------------------------------------- report


def _report(runs: list[dict], problems, thresholds, args, at_start: dict) -> dict:
    medians = {str(t): median([(r["first"][str(t)] or {}).get("minutes") for r in runs]) for t in thresholds}
    # A seed that never reached a threshold counts as its time limit (at least): the median then says
    # "not within the limit" rather than ignoring the slow seeds.
    censored = {}
    for t in thresholds:
        values = [(r["first"][str(t)] or {}).get("minutes") for r in runs]
        censored[str(t)] = median([v if v is not None else float("inf") for v in values]) if values else None
    best = min((r["best"] for r in runs if r["best"]), key=lambda b: b["seeds"], default=None)
    report = {
        "benchmark": "discovery",
        "mode": "all-ranks" if args.all_ranks else "thresholds",
        "family": FAMILY,
        "problems": list(problems),
        "engine": "gp",
        "start": "Laporta rule (evolve's starting population)",
        "database": "SQLite, scratch file per seed; Celery eager; "
                    + (f"local process pool, {args.workers} workers" if args.workers > 1 else "1 worker"),
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {**at_start, "loadavg_at_end": list(os.getloadavg())},
        "minutes_limit": args.minutes,
        "workers": args.workers,
        "evolve_options": {k: getattr(args, k) for k in ("population", "islands", "cap")},
        "thresholds": list(thresholds),
        "seeds": [r["seed"] for r in runs],
        "runs": runs,
        "median_minutes_to": medians,
        "median_minutes_to_counting_misses_as_infinite": {
            k: (None if v is None or v == float("inf") else v) for k, v in censored.items()},
        "reached_by": {str(t): sum(1 for r in runs if r["first"][str(t)]) for t in thresholds},
        "median_evaluations_per_second": median([r["evaluations_per_second"] for r in runs]),
        "median_evaluations": median([r["evaluations"] for r in runs]),
        "best": best,
    }
    if args.all_ranks:
        report["floored_kira3_total"] = FLOORED_KIRA3_TOTAL
        report["beats_floored_kira3"] = best is not None and best["seeds"] < FLOORED_KIRA3_TOTAL
    elif tuple(problems) == ("rank3",):
        report["goals_median_minutes"] = {str(k): v for k, v in RANK3_GOALS_MIN.items()}
        # None: not reached, but the time limit was shorter than the goal, so the run says nothing either way.
        report["met"] = {str(t): (censored[str(t)] <= RANK3_GOALS_MIN[t]) if censored[str(t)] != float("inf")
                         or args.minutes >= RANK3_GOALS_MIN[t] else None
                         for t in thresholds if t in RANK3_GOALS_MIN}
    return report


def _print(report: dict) -> None:
    thresholds = report["thresholds"]
    head = ("seed", *[f"min to <= {t}" for t in thresholds], "candidates evaluated", "eval/s", "best seeds",
            "best rule", "stopped")
    rows = []
    for r in report["runs"]:
        best = r["best"]
        rule = "-" if best is None else _expression(best["source"])
        seeds = "-" if best is None else (
            f"{best['seeds']}" + ("" if len(best["per_problem"]) == 1 else
                                  " (" + "+".join(str(v) for v in best["per_problem"].values()) + ")"))
        rows.append((r["seed"], *[fmt((r["first"][str(t)] or {}).get("minutes"), ".2f", "not reached")
                                  for t in thresholds],
                     r["evaluations"], fmt(r["evaluations_per_second"]), seeds, rule, r["stopped"]))
    rows.append(("median", *[fmt(report["median_minutes_to_counting_misses_as_infinite"][str(t)], ".2f",
                                 "not reached") for t in thresholds],
                 fmt(report["median_evaluations"], ".0f"), fmt(report["median_evaluations_per_second"]),
                 "", "", ""))
    print(f"{report['family']} {','.join(report['problems'])}, GP from the Laporta start, "
          f"{report['database']}, {report['minutes_limit']:g} min limit per seed "
          f"({report['machine']['cpus']} cpus, load average at start "
          f"{report['machine']['loadavg_at_start'][0]:.2f})")
    print_table(head, rows)
    for r in report["runs"]:
        print(f"seed {r['seed']}: start-up {fmt(r['startup_seconds'])} s before the run began; load average "
              f"{r['load_before'][0]:.2f} before, {r['load_after'][0]:.2f} after; {r['complete_rules']} "
              f"complete rules seen")
    best = report["best"]
    if best:
        per = ", ".join(f"{p} {s}" for p, s in best["per_problem"].items())
        print(f"best rule overall: {best['seeds']} seeds ({per}), "
              f"found at {fmt(best['minutes'], '.2f')} min:")
        print("    " + best["source"].strip().replace("\n", "\n    "))
    if "met" in report:
        goals = report["goals_median_minutes"]
        print("goals (median minutes): " + ", ".join(
            f"<= {t} seeds in <= {goals[t]:g} min: "
            + ("met" if ok else "MISSED" if ok is not None else "not reached, limit shorter than the goal")
            for t, ok in report["met"].items()))
    if report["mode"] == "all-ranks":
        print(f"floored Kira-3 needs {report['floored_kira3_total']} seeds over rank1..rank4: "
              f"{'beaten' if report['beats_floored_kira3'] else 'not beaten'} within the limit")


def _expression(source: str) -> str:
    body = source.strip().splitlines()
    return body[-1].strip().removeprefix("return ") if len(body) == 2 else source.strip().replace("\n", " ")


if __name__ == "__main__":
    sys.exit(main())
