#!/usr/bin/env python
"""Discovery bench: GP on the trianglebox, how far it gets, in minutes and evaluations.

    .venv/bin/python bench/discovery.py                          # 3 seeds, rank3, 60 min each, 2 workers
    .venv/bin/python bench/discovery.py --seeds 1 --minutes 5    # a quick look
    .venv/bin/python bench/discovery.py --all-ranks --across dbox --stop-early   # issue 19's goals 1 and 3
    .venv/bin/python bench/discovery.py --all-ranks --evaluations 20000 --workers 1  # same on any machine
    .venv/bin/python bench/discovery.py --train rank1,rank2,rank3 --hold-out rank4,rank5 --minutes 15
    .venv/bin/python bench/discovery.py --json out.json

Start (--founders): in the default mode, the Laporta rule and random programs: the goal there is to
rediscover Kira-3's count (92) and the paper's (88). In the set modes, all three literature rules (Laporta,
Kira-3 and floored Kira-3, evolve --founders laporta,kira3,kira3_floored) and random programs: the goal
there is to improve on the literature, and a physicist starts from the best published rule. `--founders
laporta` runs a set mode from Laporta alone.

Each seed runs `manage.py evolve --family trianglebox --engine gp` as a subprocess in the embedded default
(SQLite + eager Celery; with --workers > 1 the local process pool) on a scratch SQLite database of its own
under a temporary directory (var/seedtrace.sqlite3 is never touched). While it runs, the bench reads the
run's records (read-only): each candidate evaluated on every training problem is counted (its evaluation
number, in the order the records were written) and timed by its recorded_at from the run's start
(RunState.started_at, when the controller begins; the process start-up before it is reported apart).

Budget: --minutes (wall clock; default 60) or --evaluations N (evolve --budget N: N candidates, the
starting population included; the run ends when all are evaluated, with no time limit unless --minutes is
given too). Every event is reported both ways, "minutes / evaluations". With --evaluations the bench runs
one worker unless --workers says otherwise: then a seed's run is the same run on any machine, loaded or not
(eager Celery evaluates one candidate at a time, in order; two runs of a seed recorded the same candidates and
results). With 2 workers the order in which results come back, and so the search, depends on timing (on this
2-core machine, busy with other work, 2 workers evaluated no faster than 1).

Modes:
- default (goals of issue 4, on trianglebox rank3, or the --problems named): time and evaluations to the
  first complete rule with <= 92 seeds (Kira-3's count; goal <= 15 min median) and <= 88 (the paper's GP
  result; goal <= 60 min median). A seed's run stops as soon as both are reached or its budget is spent.
- --all-ranks: trains on rank1..rank4 together; a run spends its whole budget (or, with --stop-early, ends
  once every threshold is reached) and the bench reports the best total, its rule, its seeds per rank, and
  when the first total below the floored Kira-3 rule's 490 came and the first at most 400 (issue 19's goal:
  a complete rule with <= 400 seeds in total within 60 min, median of 3 seeds).
- --train P,.. --hold-out Q,..: trains on P (evolve --problem) and holds out Q (evolve --held-out: the run
  scores every rule that could be its result on Q too, recorded as held-out evaluations). The best rule on
  the training problems is then read on each held-out problem (from the run's records, or scored with
  `manage.py held_out` where the run stopped before it was) and printed beside the baseline.
- --across FAMILY[:P,..] (repeatable, e.g. dbox or dbox:rank1,rank2): the best rule, trained on trianglebox
  only, is also scored (sandboxed, `manage.py evaluate`) on those problems of another family (default: the
  family's problems without dots); the bench prints the total over the whole set against the baseline's.

Baseline, in every mode but the default: the floored Kira-3 rule (solver/literature.py KIRA3_FLOORED,
`d == 0 and s <= max(1, s_top - (t_top - t))`), scored by `manage.py evaluate` in the same run of the bench.
It keeps no dots, so it cannot reduce a dotted target (dot1, dot2): there the baseline is Seedtrace's
kira3_floored_dots (`d <= r_top - t_top` instead of `d == 0`, the same seeds on undotted targets), and the
table says so. The --all-ranks/--train threshold is the baseline's total on the training problems less one.

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
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder comes first on sys.path: bench/solver.py would shadow the solver
# package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

from bench._common import RESULTS, child_env, fmt, machine, median, print_table, write_report  # noqa: E402
from solver.family import load_family  # noqa: E402
from solver.literature import KIRA3_FLOORED, KIRA3_FLOORED_DOTS  # noqa: E402

DEFAULT_JSON = RESULTS / "discovery.json"
FAMILY = "trianglebox"
RANK3_THRESHOLDS = (92, 88)  # Kira-3's seeds; the GP rule of arXiv:2502.05121
RANK3_GOALS_MIN = {92: 15.0, 88: 60.0}  # median minutes
ALL_RANKS = ("rank1", "rank2", "rank3", "rank4")
FLOORED_KIRA3_TOTAL = 490  # 88 + 89 + 108 + 205 seeds on rank1..rank4 (the bench scores it again)
ALL_RANKS_GOAL = 400  # issue 19: a complete rank1..rank4 rule with at most this many seeds in all
LAPORTA_START = ("laporta",)
LITERATURE_START = ("laporta", "kira3", "kira3_floored")  # evolution.gp.STARTING_RULES, every one
DEFAULT_MINUTES = 60.0
BUDGET = 10_000_000  # never reached: with --minutes alone the time limit stops a run
POLL_SECONDS = 2.0
TRAIN, HELD_OUT, ACROSS = "train", "held out", "across"


def main(argv: list[str] | None = None) -> int:
    plan = _plan(argv)
    at_start = machine()
    scratch = Path(tempfile.mkdtemp(prefix="seedtrace-discovery-"))
    try:
        template = _migrated_template(scratch)
        env = child_env(DATABASE_URL=f"sqlite:///{template}", SEEDTRACE_VAR_DIR=str(scratch / "var"))
        plan.baselines = _baselines(plan.set, env, scratch) if plan.set else {}
        if plan.thresholds is None:
            plan.thresholds = _set_thresholds(plan)
        runs = [_one_seed(plan.first_seed + i, template, scratch, plan) for i in range(plan.seeds)]
    finally:
        if not plan.keep:
            shutil.rmtree(scratch, ignore_errors=True)

    report = _report(runs, plan, at_start)
    _print(report)
    write_report(report, plan.out)
    return 0


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", type=int, default=3, help="random seeds, i.e. independent runs (default 3)")
    ap.add_argument("--first-seed", type=int, default=1, help="the seeds are first-seed, first-seed+1, ...")
    ap.add_argument("--minutes", type=float, default=None,
                    help=f"time limit per seed's run (default {DEFAULT_MINUTES:g}; none with --evaluations)")
    ap.add_argument("--evaluations", type=int, default=None,
                    help="budget per seed's run in candidates evaluated, starting population included "
                         "(evolve --budget); with --workers 1 the same run on any machine")
    ap.add_argument("--workers", type=int, default=None,
                    help="evaluations in flight (embedded local pool; default 2, or 1 with --evaluations)")
    ap.add_argument("--problems", "--train", dest="problems", default=None,
                    help="comma-separated training problems of the trianglebox (default rank3)")
    ap.add_argument("--all-ranks", action="store_true", help="train on rank1..rank4 together, best total vs "
                    "floored Kira-3's 490")
    ap.add_argument("--hold-out", default=None, help="comma-separated trianglebox problems never trained on "
                    "(evolve --held-out): the best rule's verdict and seeds on each, beside the baseline's")
    ap.add_argument("--across", action="append", default=[], metavar="FAMILY[:P,..]",
                    help="also score the best rule on these problems of another family (default: its "
                         "problems without dots); repeatable")
    ap.add_argument("--thresholds", default=None,
                    help="seed totals to time (default 92,88; in a set mode the baseline's training "
                         "total less one)")
    ap.add_argument("--founders", default=None,
                    help="literature rules that start each run (evolve --founders; default: laporta in the "
                         "default mode, where the goal is to rediscover Kira-3, and "
                         f"{','.join(LITERATURE_START)} in the set modes, where the goal is to improve on "
                         "the literature)")
    ap.add_argument("--stop-early", action="store_true",
                    help="in a set mode, end a seed's run once every threshold is reached (the default mode "
                         "always does)")
    ap.add_argument("--rank-growth", action="store_true",
                    help="score only rules that keep their targets and grow with rank (evolve --rank-growth)")
    ap.add_argument("--population", type=int, default=None, help="passed to evolve (its default otherwise)")
    ap.add_argument("--islands", type=int, default=None, help="passed to evolve (its default otherwise)")
    ap.add_argument("--cap", default=None, help="passed to evolve (its default otherwise)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch databases (their paths go in JSON)")
    ap.add_argument("--json", type=Path, default=None, help=f"where to write results ({DEFAULT_JSON}, or "
                    "discovery-<mode>.json in the other modes)")
    return ap


def _names(text: str | None) -> tuple[str, ...]:
    return tuple(n.strip() for n in (text or "").split(",") if n.strip())


def _plan(argv: list[str] | None) -> SimpleNamespace:
    """What to run, from the command line: the training problems, the problem set a found rule is judged on
    ((key, family, problem, role) rows), the thresholds, the budget and the mode."""
    ap = _parser()
    args = ap.parse_args(argv)
    if args.all_ranks and args.problems:
        ap.error("--all-ranks sets the training problems itself")
    if args.evaluations is not None and args.evaluations < 1:
        ap.error("--evaluations must be positive")
    if args.minutes is not None and not args.minutes > 0:
        ap.error("--minutes must be positive")
    problems = ALL_RANKS if args.all_ranks else (_names(args.problems) or ("rank3",))
    held_out = _names(args.hold_out)
    if set(problems) & set(held_out):
        ap.error("a problem is trained on or held out, not both: "
                 + ", ".join(sorted(set(problems) & set(held_out))))
    family = load_family(FAMILY)
    try:
        for name in problems + held_out:
            family.problem(name)
        across = [_across(spec) for spec in args.across]
    except Exception as error:  # FamilyError, OSError: a name that is not there
        ap.error(str(error))
    compared = bool(args.all_ranks or held_out or across)
    rows = []
    if compared:
        rows += [(p, FAMILY, p, TRAIN) for p in problems] + [(p, FAMILY, p, HELD_OUT) for p in held_out]
        rows += [(f"{fam}/{p}", fam, p, ACROSS) for fam, names in across for p in names]
    mode = "thresholds" if not compared else "+".join(
        m for m, on in (("all-ranks", args.all_ranks), ("train", not args.all_ranks and not held_out),
                        ("held-out", held_out), ("across", across)) if on)
    if args.thresholds:
        thresholds = tuple(sorted((int(x) for x in _names(args.thresholds)), reverse=True))
    else:
        thresholds = None if compared else RANK3_THRESHOLDS
    minutes = args.minutes if args.minutes is not None or args.evaluations else DEFAULT_MINUTES
    founders = _names(args.founders) or (LITERATURE_START if compared else LAPORTA_START)
    slug = "" if mode == "thresholds" else "-" + mode.replace("+", "-")
    out = args.json or (RESULTS / f"discovery{slug}.json")
    return SimpleNamespace(
        seeds=args.seeds, first_seed=args.first_seed, minutes=minutes, evaluations=args.evaluations,
        workers=args.workers or (1 if args.evaluations else 2), problems=problems, held_out=held_out,
        across=across, set=rows, mode=mode,
        all_ranks=args.all_ranks, thresholds=thresholds, stop_early=args.stop_early or not compared,
        founders=founders, rank_growth=args.rank_growth, keep=args.keep, out=out,
        evolve_options={k: getattr(args, k) for k in ("population", "islands", "cap")}, baselines={},
    )


def _set_thresholds(plan) -> tuple[int, ...]:
    """A set mode's thresholds: the baseline's training total less one (beat it), and with --all-ranks
    also issue 19's goal of at most 400 seeds in all."""
    total = sum(plan.baselines[key]["seeds"] for key, _, _, role in plan.set if role == TRAIN)
    goal = (ALL_RANKS_GOAL,) if plan.all_ranks and total > ALL_RANKS_GOAL else ()
    return (total - 1, *goal)


def _across(spec: str) -> tuple[str, tuple[str, ...]]:
    name, _, given = spec.partition(":")
    family = load_family(name.strip())
    if given:
        names = _names(given)
        for problem in names:
            family.problem(problem)
    else:  # every problem without dots: the floored Kira-3 rule reduces those
        names = tuple(p.name for p in family.problems
                      if all(a <= 1 for target in p.targets for a in target))
    return family.name, names


def _evolve_command(seed: int, plan) -> list[str]:
    cmd = [sys.executable, "manage.py", "evolve", "--family", FAMILY, "--problem", ",".join(plan.problems),
           "--engine", "gp", "--budget", str(plan.evaluations or BUDGET), "--workers", str(plan.workers),
           "--seed", str(seed), "--founders", ",".join(plan.founders), "--json",
           "--project", "bench-discovery",
           "--title", f"bench/discovery.py seed {seed}"]
    if plan.held_out:
        cmd += ["--held-out", ",".join(plan.held_out)]
    if plan.rank_growth:
        cmd.append("--rank-growth")
    for name, value in plan.evolve_options.items():
        if value is not None:
            cmd += [f"--{name}", str(value)]
    return cmd


# ---------------------------------------------------------------- scoring outside the run


def _evaluate(source: str, family: str, problems, env: dict, scratch: Path) -> dict[str, dict]:
    """A rule's verdicts on problems of a family, through the sandbox and solver path of an evolution
    (`manage.py evaluate`): {problem: {verdict, seeds, unreduced, equations}}."""
    rule = Path(tempfile.mkstemp(suffix=".py", dir=scratch)[1])
    rule.write_text(source)
    done = subprocess.run([sys.executable, "manage.py", "evaluate", str(rule), "--family", family,
                           "--problem", ",".join(problems), "--json"], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=True)
    found = json.loads(done.stdout)
    return {v["problem"]: {k: v.get(k) for k in ("verdict", "seeds", "unreduced", "equations")}
            for v in found["problems"]}


def _baselines(rows, env: dict, scratch: Path) -> dict[str, dict]:
    """The floored Kira-3 rule on every problem of the set; where it does not close (a dotted target), the
    floored rule with the target's dots (kira3_floored_dots) is the baseline, and both are kept."""
    print("scoring the floored Kira-3 rule on the problem set ...", file=sys.stderr, flush=True)
    out = {}
    for family in dict.fromkeys(fam for _, fam, _, _ in rows):
        keys = {problem: key for key, fam, problem, _ in rows if fam == family}
        floored = _evaluate(KIRA3_FLOORED.source, family, keys, env, scratch)
        failing = [p for p in keys if floored[p]["verdict"] != "complete"]
        dots = _evaluate(KIRA3_FLOORED_DOTS.source, family, failing, env, scratch) if failing else {}
        for problem, key in keys.items():
            used, rule = (dots[problem], KIRA3_FLOORED_DOTS) if problem in dots else (floored[problem],
                                                                                      KIRA3_FLOORED)
            out[key] = {"rule": rule.name, "source": rule.source, "seeds": used["seeds"],
                        "complete": used["verdict"] == "complete", "floored": floored[problem]}
    return out


def _held_out_command(candidate: int, problems, env: dict) -> dict[str, dict]:
    """Score a candidate on held-out problems with `manage.py held_out` (recorded in the seed's database)."""
    done = subprocess.run([sys.executable, "manage.py", "held_out", str(candidate), "--problem",
                           ",".join(problems), "--json"], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=True)
    return {row["problem"]: {"verdict": row["verdict"], "seeds": row["seeds"], "unreduced": None}
            for row in json.loads(done.stdout)["held_out"]}


# ---------------------------------------------------------------- running one seed


def _migrated_template(scratch: Path) -> Path:
    """Migrate once; every seed starts from a copy, so each run has a fresh database of its own."""
    path = scratch / "template.sqlite3"
    print("migrating a scratch SQLite database ...", file=sys.stderr, flush=True)
    env = child_env(DATABASE_URL=f"sqlite:///{path}", SEEDTRACE_VAR_DIR=str(scratch / "var"))
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env,
                   check=True)
    return path


def _one_seed(seed: int, template: Path, scratch: Path, plan) -> dict:
    db = scratch / f"seed{seed}.sqlite3"
    shutil.copyfile(template, db)
    var = scratch / f"var{seed}"
    env = child_env(DATABASE_URL=f"sqlite:///{db}", SEEDTRACE_VAR_DIR=str(var))
    cmd = _evolve_command(seed, plan)
    log = scratch / f"seed{seed}.log"
    load_before = list(os.getloadavg())
    print(f"[seed {seed}] {' '.join(cmd[1:])}", file=sys.stderr, flush=True)
    launched_wall = datetime.now(UTC)
    launched = time.monotonic()
    limit = None if plan.minutes is None else plan.minutes * 60
    with open(log, "w") as log_file:
        # A session of its own: the controller, its pool processes and their sandboxes stop together.
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT,
                                start_new_session=True)
    watch = _Watcher(db, plan.problems, plan.thresholds)
    why = "time limit"
    last_note = 0.0
    try:
        while True:
            time.sleep(POLL_SECONDS)
            watch.poll()
            elapsed = time.monotonic() - launched
            if proc.poll() is not None:
                why = "evaluation budget spent" if plan.evaluations and proc.returncode == 0 else \
                    f"evolve exited ({proc.returncode})"
                break
            if plan.stop_early and watch.all_reached():
                why = "both thresholds reached" if len(plan.thresholds) == 2 else "thresholds reached"
                break
            run_minutes = watch.run_minutes()
            if limit is not None and ((run_minutes is not None and run_minutes * 60 >= limit)
                                      or elapsed >= limit + 120):
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
    if plan.set:
        result["set"] = _judged(watch, plan, env, scratch)
    if plan.keep:
        result["database"] = str(db)
    print(f"[seed {seed}] {why}: {watch.note()}", file=sys.stderr, flush=True)
    return result


def _judged(watch: _Watcher, plan, env: dict, scratch: Path) -> dict[str, dict]:
    """The best rule's verdict and seeds on every problem of the set: the training problems from the run,
    the held-out ones from the run's held-out evaluations (or scored now where the run had not), the other
    families' by `manage.py evaluate`."""
    best = watch.best
    if best is None:
        return {}
    got = {p: {"verdict": "complete", "seeds": s, "unreduced": 0} for p, s in best["per_problem"].items()}
    if plan.held_out:
        recorded = watch.held.get(best["candidate"], {})
        held = {p: recorded[p] for p in plan.held_out if p in recorded}
        missing = [p for p in plan.held_out if p not in held]
        best["held_out_from"] = "the run's records" if not missing else (
            f"manage.py held_out for {', '.join(missing)}"
            + (", the run's records for the rest" if held else ""))
        if missing:
            held.update(_held_out_command(best["candidate"], missing, env))
        got.update(held)
    for family, problems in plan.across:
        for problem, verdict in _evaluate(best["source"], family, problems, env, scratch).items():
            got[f"{family}/{problem}"] = verdict
    return got


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
    """Reads a run's records from its SQLite file (read-only) while `evolve` writes them.

    A candidate's evaluation number is the count of candidates with a training result recorded so far, its
    own included (in the order the records were written: the controller's order with one worker)."""

    def __init__(self, db: Path, problems, thresholds):
        self.db, self.problems, self.thresholds = db, tuple(problems), thresholds
        self.last_id = 0
        self.partial: dict[int, dict] = {}  # candidate -> {problem: (verdict, seeds, recorded_at)}
        self.seen: set[int] = set()  # candidates with a result on a training problem
        self.held: dict[int, dict] = {}  # candidate -> {held-out problem: {verdict, seeds, unreduced}}
        self.started: datetime | None = None
        self.first: dict[int, dict] = {}  # threshold -> {candidate, seeds, minutes, evaluations, ...}
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
        rows = conn.execute("SELECT id, candidate_id, problem, verdict, seeds, unreduced, recorded_at, "
                            "details FROM provenance_evaluation WHERE id > ? ORDER BY id",
                            (self.last_id,)).fetchall()
        for pk, candidate, problem, verdict, seeds, unreduced, recorded_at, details in rows:
            self.last_id = pk
            if problem not in self.problems or (json.loads(details or "{}") or {}).get("held_out"):
                self.held.setdefault(candidate, {})[problem] = {"verdict": verdict, "seeds": seeds,
                                                                "unreduced": unreduced}
                continue
            self.seen.add(candidate)
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
        found = {"candidate": candidate, "seeds": total, "minutes": minutes, "evaluations": len(self.seen),
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
        reached = ", ".join(f"<= {t}: {self.first[t]['minutes']:.1f} min / {self.first[t]['evaluations']} "
                            "evaluations" for t in self.thresholds if t in self.first) or "no threshold yet"
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
            "held_out_scored": len([c for c, got in self.held.items() if got]),
            "first": {str(t): self.first.get(t) for t in self.thresholds},
            "best": self.best,
        }


def _when(text: str) -> datetime:
    """Django's SQLite datetimes are UTC text without an offset."""
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


# ---------------------------------------------------------------- report


def _start(founders) -> str:
    names = {"laporta": "Laporta", "kira3": "Kira-3", "kira3_floored": "floored Kira-3"}
    rules = [names.get(name, name) for name in founders]
    listed = rules[0] if len(rules) == 1 else ", ".join(rules[:-1]) + " and " + rules[-1]
    return f"the {listed} rule{'' if len(rules) == 1 else 's'} (evolve --founders) and random programs"


def _censored(values) -> float | None:
    """The median, a miss counting as infinite (so "not within the budget" rather than ignored); None for
    an infinite median or no values."""
    if not values:
        return None
    value = median([v if v is not None else float("inf") for v in values])
    return None if value == float("inf") else value


def _report(runs: list[dict], plan, at_start: dict) -> dict:
    thresholds = plan.thresholds
    reached = {str(t): [r["first"][str(t)] or {} for r in runs] for t in thresholds}
    medians = {t: median([f.get("minutes") for f in got]) for t, got in reached.items()}
    censored = {t: [f.get("minutes") for f in got] for t, got in reached.items()}
    best = min((r["best"] for r in runs if r["best"]), key=lambda b: b["seeds"], default=None)
    report = {
        "benchmark": "discovery",
        "mode": plan.mode,
        "family": FAMILY,
        "problems": list(plan.problems),
        "held_out": list(plan.held_out),
        "across": {family: list(problems) for family, problems in plan.across},
        "engine": "gp",
        "start": _start(plan.founders),
        "founders": list(plan.founders),
        "database": "SQLite, scratch file per seed; Celery eager; "
                    + (f"local process pool, {plan.workers} workers" if plan.workers > 1 else "1 worker"),
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {**at_start, "loadavg_at_end": list(os.getloadavg())},
        "minutes_limit": plan.minutes,
        "evaluations_budget": plan.evaluations,
        "workers": plan.workers,
        "evolve_options": plan.evolve_options,
        "thresholds": list(thresholds),
        "seeds": [r["seed"] for r in runs],
        "runs": runs,
        "median_minutes_to": medians,
        "median_minutes_to_counting_misses_as_infinite": {t: _censored(v) for t, v in censored.items()},
        "median_evaluations_to_counting_misses_as_infinite": {
            t: _censored([f.get("evaluations") for f in got]) for t, got in reached.items()},
        "reached_by": {t: sum(1 for f in got if f) for t, got in reached.items()},
        "median_run_minutes": median([r["run_minutes"] for r in runs]),
        "median_evaluations_per_second": median([r["evaluations_per_second"] for r in runs]),
        "median_evaluations": median([r["evaluations"] for r in runs]),
        "median_best_seeds": median([(r["best"] or {}).get("seeds") for r in runs]),
        "median_best_found_at_minutes": median([(r["best"] or {}).get("minutes") for r in runs]),
        "median_best_found_at_evaluations": median([(r["best"] or {}).get("evaluations") for r in runs]),
        "best": best,
    }
    if plan.all_ranks:
        report["floored_kira3_total"] = _baseline_total(plan, TRAIN) or FLOORED_KIRA3_TOTAL
        report["beats_floored_kira3"] = best is not None and best["seeds"] < report["floored_kira3_total"]
    if plan.set:
        report["set"] = _set_rows(runs, plan)
        report["goals"] = _set_goals(runs, plan)
    elif tuple(plan.problems) == ("rank3",) and plan.minutes is not None:
        report["goals_median_minutes"] = {str(k): v for k, v in RANK3_GOALS_MIN.items()}
        # None: not reached, but the time limit was shorter than the goal, so the run says nothing either way.
        report["met"] = {}
        for t in thresholds:
            if t in RANK3_GOALS_MIN:
                value = report["median_minutes_to_counting_misses_as_infinite"][str(t)]
                report["met"][str(t)] = (value is not None and value <= RANK3_GOALS_MIN[t]) if (
                    value is not None or plan.minutes >= RANK3_GOALS_MIN[t]) else None
    return report


def _baseline_total(plan, role: str | None = None) -> int | None:
    values = [plan.baselines.get(key) for key, _, _, r in plan.set if role is None or r == role]
    if not values or any(v is None or not v["complete"] for v in values):
        return None
    return sum(v["seeds"] for v in values)


def _set_rows(runs: list[dict], plan) -> list[dict]:
    """Per problem of the set: the baseline, each seed's best rule there, and their medians."""
    rows = []
    for key, family, _, role in plan.set:
        base = plan.baselines[key]
        found = [(r.get("set") or {}).get(key) for r in runs]
        complete = [f["seeds"] for f in found if f and f["verdict"] == "complete"]
        fewer = [f for f in found if _fewer(f, base)]
        rows.append({"problem": key, "family": family, "role": role, "baseline": base,
                     "found": found, "complete_in": len(complete), "fewer_in": len(fewer),
                     "median_seeds_where_complete": median(complete)})
    return rows


def _fewer(found: dict | None, base: dict) -> bool:
    return bool(found and found["verdict"] == "complete" and base["complete"]
                and found["seeds"] < base["seeds"])


def _set_goals(runs: list[dict], plan) -> dict:
    """Per seed, whether its best rule meets the goals that can be read off the set."""
    goals = {}
    held = [(key, plan.baselines[key]) for key, _, _, role in plan.set if role == HELD_OUT]
    if held:
        met = [bool(r.get("set")) and all(_fewer(r["set"].get(key), base) for key, base in held)
               for r in runs]
        goals["held_out"] = {"goal": "complete on every held-out problem with fewer seeds than the baseline "
                                     "on each", "met": met, "met_by": sum(met)}
    total = _baseline_total(plan)
    if total is not None:
        met, totals = [], []
        for r in runs:
            got = [(r.get("set") or {}).get(key) for key, _, _, _ in plan.set]
            complete = all(g and g["verdict"] == "complete" for g in got)
            totals.append(sum(g["seeds"] for g in got) if complete else None)
            met.append(complete and totals[-1] < total)
        goals["whole_set"] = {"goal": "complete on every problem of the set with fewer seeds in total than "
                                      "the baseline", "baseline_total": total, "totals": totals, "met": met,
                              "met_by": sum(met), "median_total": median(totals)}
    return goals


def _at(found: dict | None) -> str:
    if not found:
        return "not reached"
    return f"{fmt(found.get('minutes'), '.2f')} min / {found.get('evaluations', '-')} ev"


def _verdict(found: dict | None) -> str:
    if not found:
        return "-"
    if found["verdict"] == "complete":
        return str(found["seeds"])
    left = f"; {found['unreduced']} left" if found.get("unreduced") is not None else ""
    return f"{found['verdict'].upper()} ({found['seeds']}{left})"


def _print(report: dict) -> None:
    thresholds = report["thresholds"]
    head = ("seed", "run min", "evaluations", "eval/s", *[f"first <= {t}" for t in thresholds],
            "best seeds", "best found at", "stopped")
    rows = []
    for r in report["runs"]:
        best = r["best"]
        seeds = "-" if best is None else (
            f"{best['seeds']}" + ("" if len(best["per_problem"]) == 1 else
                                  " (" + "+".join(str(v) for v in best["per_problem"].values()) + ")"))
        rows.append((r["seed"], fmt(r["run_minutes"], ".2f"), r["evaluations"],
                     fmt(r["evaluations_per_second"]),
                     *[_at(r["first"][str(t)]) for t in thresholds], seeds, _at(best) if best else "-",
                     r["stopped"]))
    miss = report["median_minutes_to_counting_misses_as_infinite"]
    miss_ev = report["median_evaluations_to_counting_misses_as_infinite"]
    rows.append(("median", fmt(report["median_run_minutes"], ".2f"), fmt(report["median_evaluations"], ".0f"),
                 fmt(report["median_evaluations_per_second"]),
                 *[(f"{fmt(miss[str(t)], '.2f')} min / {fmt(miss_ev[str(t)], '.0f')} ev"
                    if miss[str(t)] is not None else "not reached") for t in thresholds],
                 fmt(report["median_best_seeds"], "g"),
                 f"{fmt(report['median_best_found_at_minutes'], '.2f')} min / "
                 f"{fmt(report['median_best_found_at_evaluations'], '.0f')} ev", ""))
    budget = " and ".join(x for x in (
        f"{report['minutes_limit']:g} min" if report["minutes_limit"] else "",
        f"{report['evaluations_budget']} evaluations" if report["evaluations_budget"] else "") if x)
    trained = ",".join(report["problems"])
    print(f"{report['family']} {trained}, GP from {report['start']}, {report['database']}, {budget} per seed "
          f"({report['machine']['cpus']} cpus, load average at start "
          f"{report['machine']['loadavg_at_start'][0]:.2f})")
    print_table(head, rows, out=sys.stdout)
    for r in report["runs"]:
        print(f"seed {r['seed']}: start-up {fmt(r['startup_seconds'])} s before the run began; load average "
              f"{r['load_before'][0]:.2f} before, {r['load_after'][0]:.2f} after; {r['complete_rules']} "
              "complete rules seen; best rule: "
              + ("-" if r["best"] is None else _expression(r["best"]["source"])))
    best = report["best"]
    if best:
        per = ", ".join(f"{p} {s}" for p, s in best["per_problem"].items())
        print(f"best rule overall: {best['seeds']} seeds ({per}), found at {_at(best)}:")
        print("    " + best["source"].strip().replace("\n", "\n    "))
    if "met" in report:
        goals = report["goals_median_minutes"]
        print("goals (median minutes): " + ", ".join(
            f"<= {t} seeds in <= {goals[t]:g} min: "
            + ("met" if ok else "MISSED" if ok is not None else "not reached, limit shorter than the goal")
            for t, ok in report["met"].items()))
    if report.get("set"):
        _print_set(report)
    if "floored_kira3_total" in report:
        print(f"floored Kira-3 needs {report['floored_kira3_total']} seeds over rank1..rank4: "
              f"{'beaten' if report['beats_floored_kira3'] else 'not beaten'} within the budget")


def _print_set(report: dict) -> None:
    seeds = report["seeds"]
    head = ("problem", "role", "baseline", *[f"seed {s}" for s in seeds], "median (complete)", "fewer")
    rows = []
    for row in report["set"]:
        base = row["baseline"]
        label = {"kira3_floored": "floored Kira-3", "kira3_floored_dots": "floored + dots"}[base["rule"]]
        shown = f"{base['seeds']} {label}" if base["complete"] else f"NO ({base['seeds']}) {label}"
        if base["rule"] != "kira3_floored":
            shown += f" (floored: {_verdict(base['floored'])})"
        rows.append((row["problem"], row["role"], shown, *[_verdict(f) for f in row["found"]],
                     f"{fmt(row['median_seeds_where_complete'], 'g')} ({row['complete_in']}/{len(seeds)})",
                     f"{row['fewer_in']}/{len(seeds)}"))
    goals = report["goals"]
    whole = goals.get("whole_set")
    if whole:
        rows.append(("total", "", whole["baseline_total"],
                     *[fmt(t, "d", "incomplete") for t in whole["totals"]],
                     fmt(whole["median_total"], "g"), f"{whole['met_by']}/{len(seeds)}"))
    print("the best rule of each seed (trained on " + ",".join(report["problems"]) + ") on the problem set; "
          "baseline: the floored Kira-3 rule (floored + dots where it does not close), 'fewer': seeds whose "
          "rule is complete with fewer seeds than the baseline")
    print_table(head, rows, out=sys.stdout)
    for name, goal in goals.items():
        print(f"goal ({name.replace('_', ' ')}): {goal['goal']}: met by {goal['met_by']} of {len(seeds)} "
              "seeds")


def _expression(source: str) -> str:
    body = source.strip().splitlines()
    return body[-1].strip().removeprefix("return ") if len(body) == 2 else source.strip().replace("\n", " ")


if __name__ == "__main__":
    sys.exit(main())
