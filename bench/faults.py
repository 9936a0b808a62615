#!/usr/bin/env python
"""Fault bench: one evolution on PostgreSQL + Redis whose workers, controller and broker are killed N
times, then what it cost: jobs lost, evaluated twice or stuck, whether `verify` holds, the longest wait.

    .venv/bin/python bench/faults.py                          # 3000 candidates, 12 faults, 2 workers
    .venv/bin/python bench/faults.py --budget 600 --faults 4   # a quick look
    .venv/bin/python bench/faults.py --json out.json

Everything runs with the product's default settings (heartbeat 5 s, re-send after 60 s, lease 300 s) on a
scratch PostgreSQL database (<name>_faults_bench, dropped after) and a Redis server of the bench's own (so
that restarting it disturbs nothing else). The bench plays systemd for deploy/systemd's units: a worker
whose process died is started again, and a controller that died is continued with `evolve --resume RUN`,
each `--restart-seconds` (5) after the death (the units say 5 s for workers, 30 s for the controller).

Faults, in turn, spread evenly over the run by its progress (fault i once i/(N+1) of the budget is
evaluated): `pool-child` (SIGKILL to a worker's pool process, mid-evaluation or between two; Celery starts
another), `worker` (SIGKILL to a whole worker, main process and pool, as a power cut would), `controller`
(SIGKILL to `evolve`), `broker` (Redis stopped without saving, left down 2 s, started empty: every message
it held is gone).

Counted at the end, from the records: lost = jobs never done, or done without an evaluation; duplicated =
candidates evaluated more than once on a problem; stuck = the run not finished within --deadline; verify =
`provenance.verify` (hash chains, heads, and the consistency checks: step numbers, founding, budget); the
wait of a job = its finished_at − created_at (longest, median, p95), beside the same run's wait without
faults when --baseline is given.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

from bench._common import RESULTS, ScratchPostgres, child_env, fmt, machine, median, print_table  # noqa: E402
from tests.redis_server import RedisServer  # noqa: E402

DEFAULT_JSON = RESULTS / "faults.json"
KINDS = ("pool-child", "worker", "controller", "broker")
COPIES = ("island_reset", "migration")  # candidates that copy a program: no job, no evaluation


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--budget", type=int, default=3000, help="candidates in the run (default 3000)")
    ap.add_argument("--faults", type=int, default=12, help="faults in all, the kinds in turn (default 12)")
    ap.add_argument("--workers", type=int, default=2, help="Celery worker processes (default 2)")
    ap.add_argument("--seed", type=int, default=5)
    ap.add_argument("--restart-seconds", type=float, default=5.0, help="supervisor's delay before a restart")
    ap.add_argument("--deadline", type=float, default=1800, help="seconds before the run counts as stuck")
    ap.add_argument("--baseline", action="store_true", help="also run once without faults, for the waits")
    ap.add_argument("--json", type=Path, default=DEFAULT_JSON)
    args = ap.parse_args(argv)

    start_machine = machine()
    scratch = ScratchPostgres("faults")
    with scratch as database_url, tempfile.TemporaryDirectory(prefix="seedtrace-faults-") as var:
        redis = RedisServer()
        try:
            env = child_env(DATABASE_URL=database_url, CELERY_BROKER_URL=redis.url,
                            CELERY_QUEUE=f"seedtrace-faults-{uuid.uuid4().hex[:8]}", SEEDTRACE_VAR_DIR=var)
            os.environ.update(env)
            import django

            django.setup()
            from django.core.management import call_command

            call_command("migrate", verbosity=0)
            runs = []
            if args.baseline:
                runs.append(Trial(env, var, redis, args, faults=0).run())
            runs.append(Trial(env, var, redis, args, faults=args.faults).run())
        finally:
            redis.close()
    report = {"bench": "faults", "machine": start_machine, "args": _args(args), "runs": runs}
    _print(report)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nJSON: {args.json}")
    return 0 if all(_held(run) for run in runs) else 1


class Trial:
    """One run from start to end, with `faults` faults injected along it."""

    def __init__(self, env: dict, var: str, redis: RedisServer, args, faults: int):
        self.env, self.var, self.redis, self.args, self.faults = env, var, redis, args, faults
        self.supervisor = Supervisor(env, var, args.workers, args.restart_seconds)
        self.injected: list[dict] = []

    def run(self) -> dict:
        from provenance.models import Run

        before = set(Run.objects.values_list("pk", flat=True))
        started = time.monotonic()
        self.supervisor.start_workers()
        self.supervisor.start_controller(["--family", "trianglebox", "--problem", "rank3",
                                          "--budget", str(self.args.budget), "--population", "8",
                                          "--workers", str(self.args.workers), "--seed", str(self.args.seed),
                                          "--verbosity", "0"])
        new_runs = Run.objects.exclude(pk__in=before).values_list("pk", flat=True)
        run_id = self._wait_for(new_runs.first)
        self.supervisor.run_id = run_id
        stuck = not self._drive(run_id, started)
        seconds = time.monotonic() - started
        self.supervisor.stop()
        return {"faults": self.faults, "injected": self.injected, "seconds": round(seconds, 1),
                **outcome(run_id, stuck, self.args.budget), "restarts": self.supervisor.restarts}

    def _drive(self, run_id: int, started: float) -> bool:
        """Inject the faults as the run progresses; True once the run has finished, False at the deadline."""
        from evolution.models import RunState

        while time.monotonic() - started < self.args.deadline:
            self.supervisor.tick()
            done = evaluated(run_id)
            due = len(self.injected)
            if due < self.faults and done >= (due + 1) * self.args.budget / (self.faults + 1):
                kind = KINDS[due % len(KINDS)]
                self._inject(kind)
                self.injected.append({"kind": kind, "at_s": round(time.monotonic() - started, 1),
                                      "evaluated": done})
            status = RunState.objects.filter(run_id=run_id).values_list("status", flat=True).first()
            if status == "finished" and self.supervisor.controller_exited():
                return True
            time.sleep(0.5)
        return False

    def _inject(self, kind: str) -> None:
        if kind == "pool-child":
            self.supervisor.kill_pool_child()
        elif kind == "worker":
            self.supervisor.kill_worker()
        elif kind == "controller":
            self.supervisor.kill_controller()
        else:
            self.redis.restart(down=2)

    @staticmethod
    def _wait_for(check, timeout: float = 120):
        deadline = time.monotonic() + timeout
        while not (found := check()):
            if time.monotonic() > deadline:
                raise SystemExit("the run did not start")
            time.sleep(0.2)
        return found


class Supervisor:
    """What systemd's Restart= does for deploy/systemd's units: dead workers start again, a dead controller
    is continued with `evolve --resume RUN` (again and again while a live controller still holds the run)."""

    def __init__(self, env: dict, var: str, workers: int, restart_seconds: float):
        self.env, self.var, self.count, self.delay = env, var, workers, restart_seconds
        self.workers: list[subprocess.Popen | None] = [None] * workers
        self.dead_since: dict[str, float] = {}
        self.controller: subprocess.Popen | None = None
        self.run_id: int | None = None
        self.restarts = {"worker": 0, "controller": 0}
        self.next_worker = 0

    def start_workers(self) -> None:
        for index in range(self.count):
            self._start_worker(index)

    def _start_worker(self, index: int) -> None:
        log = open(Path(self.var) / f"worker-{index}.log", "a")  # noqa: SIM115  (the process keeps it)
        self.workers[index] = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "seedtrace", "worker", "--pool=prefork", "--concurrency=1",
             "--loglevel=INFO", "-n", f"faults{index}-{uuid.uuid4().hex[:6]}@%h"],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def start_controller(self, args: list[str]) -> None:
        log = open(Path(self.var) / "controller.log", "a")  # noqa: SIM115
        self.controller = subprocess.Popen([sys.executable, "manage.py", "evolve", *args], cwd=ROOT,
                                           env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                           start_new_session=True)

    def controller_exited(self) -> bool:
        return self.controller is not None and self.controller.poll() is not None

    def tick(self) -> None:
        now = time.monotonic()
        for index, worker in enumerate(self.workers):
            if worker is not None and worker.poll() is not None:
                since = self.dead_since.setdefault(f"worker{index}", now)
                if now - since >= self.delay:
                    self._start_worker(index)
                    self.restarts["worker"] += 1
                    del self.dead_since[f"worker{index}"]
        if self.controller is not None and self.controller.poll() not in (None, 0):
            since = self.dead_since.setdefault("controller", now)
            if now - since >= self.delay:
                self.start_controller(["--resume", str(self.run_id), "--verbosity", "0"])
                self.restarts["controller"] += 1
                del self.dead_since["controller"]

    def kill_pool_child(self) -> None:
        worker = self._next_live_worker()
        children = subprocess.run(["pgrep", "-P", str(worker.pid)], capture_output=True, text=True).stdout
        for pid in children.split()[:1]:
            os.kill(int(pid), signal.SIGKILL)

    def kill_worker(self) -> None:
        worker = self._next_live_worker()
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()

    def kill_controller(self) -> None:
        if self.controller is not None and self.controller.poll() is None:
            os.killpg(self.controller.pid, signal.SIGKILL)
            self.controller.wait()

    def _next_live_worker(self) -> subprocess.Popen:
        for _ in range(self.count):
            worker = self.workers[self.next_worker % self.count]
            self.next_worker += 1
            if worker is not None and worker.poll() is None:
                return worker
        raise RuntimeError("no live worker to kill")

    def stop(self) -> None:
        for process in [*self.workers, self.controller]:
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in [*self.workers, self.controller]:
            if process is None:
                continue
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def evaluated(run_id: int) -> int:
    from evolution.models import EvaluationJob

    return EvaluationJob.objects.filter(run_id=run_id, status="done").count()


def outcome(run_id: int, stuck: bool, budget: int) -> dict:
    """What the run's records say after it: lost, duplicated, verify, waits, budget."""
    from django.db.models import Count

    from evolution.models import EvaluationJob, RunState
    from provenance.models import Candidate, Evaluation
    from provenance.verify import verify

    jobs = EvaluationJob.objects.filter(run_id=run_id)
    evaluated_ids = set(Evaluation.objects.filter(run_id=run_id).values_list("candidate_id", flat=True))
    not_done = jobs.exclude(status="done").count()
    done_without = jobs.filter(status="done").exclude(candidate_id__in=evaluated_ids).count()
    twice = (Evaluation.objects.filter(run_id=run_id).values("candidate", "problem").annotate(n=Count("id"))
             .filter(n__gt=1).count())
    waits = sorted((job.finished_at - job.created_at).total_seconds()
                   for job in jobs.filter(status="done").only("created_at", "finished_at"))
    reports = verify(run_id)
    state = RunState.objects.get(run_id=run_id)
    proposals = Candidate.objects.filter(run_id=run_id).exclude(activity__in=COPIES).count()
    return {
        "run": run_id, "status": state.status, "stuck": stuck, "jobs": jobs.count(),
        "lost": not_done + done_without, "duplicated": twice,
        "verify": all(report.intact for report in reports),
        "verify_problems": [f"{report.name}: {report.mismatch}" for report in reports if report.mismatch],
        "proposals": proposals, "budget": budget,
        "wait_longest_s": round(waits[-1], 2) if waits else None,
        "wait_median_s": round(median(waits), 3) if waits else None,
        "wait_p95_s": round(waits[int(0.95 * (len(waits) - 1))], 2) if waits else None,
    }


def _held(run: dict) -> bool:
    return (not run["stuck"] and run["lost"] == 0 and run["duplicated"] == 0 and run["verify"]
            and run["proposals"] == run["budget"])


def _args(args) -> dict:
    return {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()}


def _print(report: dict) -> None:
    for run in report["runs"]:
        if run["injected"]:
            print(f"\nfaults injected in run {run['run']} (restarts: {run['restarts']})")
            print_table(("kind", "at s", "evaluated then"),
                        [(f["kind"], f["at_s"], f["evaluated"]) for f in run["injected"]])
    print()
    print_table(
        ("faults", "status", "s", "jobs", "lost", "duplicated", "stuck", "verify", "proposals/budget",
         "wait longest s", "median s", "p95 s"),
        [(run["faults"], run["status"], run["seconds"], run["jobs"], run["lost"], run["duplicated"],
          run["stuck"], "intact" if run["verify"] else "BROKEN", f"{run['proposals']}/{run['budget']}",
          fmt(run["wait_longest_s"], ".1f"), fmt(run["wait_median_s"], ".3f"), fmt(run["wait_p95_s"], ".2f"))
         for run in report["runs"]])


if __name__ == "__main__":
    sys.exit(main())
