#!/usr/bin/env python
"""Worker throughput bench: evaluations per second with 1 and with 2 Celery workers on Redis + PostgreSQL.

    .venv/bin/python bench/throughput.py                       # 1000 candidates, 5 repetitions, goal >= 1.8x
    .venv/bin/python bench/throughput.py --candidates 60 --repeats 3      # a quick look
    .venv/bin/python bench/throughput.py --layout processes    # only K separate Celery workers
    .venv/bin/python bench/throughput.py --json out.json

What is measured is the workers, not the controller: for each repetition a fixed set of candidates is
recorded up front (with their queued jobs) in a fresh run of a scratch PostgreSQL database
(<name>_throughput_bench beside DATABASE_URL's, created, migrated and dropped here), then every job is sent
to a private Celery queue at once, and the clock runs from the first send to the last job's finished_at.

Candidates: GP programs of typical size, a third random trees (evolution.gp.random_programs) and two thirds
one to three chained mutations of the Kira-3, floored Kira-3 and Laporta rules, so the solver does the work
an evolution near good rules does (the verdict mix and mean solver time are reported). Repetition i uses
the same sources for every worker count (a paired comparison) but new candidate rows and a new run, so the
goal is judged on the median of the per-repetition ratios (the ratio of the two median rates is shown too:
its two medians may come from repetitions whose sources cost differently).

The ceiling (--ceiling N): repetition 0's sources scored by score_program alone (sandbox + solver; no
database, broker or Celery) in one process, then split over two processes started together, N times each:
what two workers could gain on this machine at best. Two cores shared with PostgreSQL, Redis and Celery's
own processes leave little room above it.

Layouts (--layout): "processes" (K Celery workers, each `celery -A seedtrace worker --pool=prefork
--concurrency=1`, as K machines would run them: the issue's "1 and 2 Celery workers"), "concurrency" (one
Celery worker with --concurrency=K, the shorter command on one machine), or "both" (default: both are
reported, each against the same single worker). Workers are started by the bench, warmed up (Django,
numba kernels, seed pools, sandbox zygote) on a throwaway batch, and stopped at the end.

Where the time goes (from the records and /proc, no profiler in the workers): per job, busy = finished_at −
claimed_at, split into the rule + solver seconds recorded on the Evaluation and the rest (loading the
candidate, sandbox round trip, the recording transaction that holds the run's chain lock); worker utilisation
= Σ busy / (K × wall); lock waits = share of 250 ms samples of pg_stat_activity in which a backend of the
scratch database waited on a lock; CPU = the machine's busy cores during the window (/proc/stat) and the
workers' own share.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this file's folder comes first on sys.path: bench/solver.py would shadow the solver
# package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

from bench._common import RESULTS, ScratchPostgres, child_env, fmt, machine, median, print_table  # noqa: E402

DEFAULT_JSON = RESULTS / "throughput.json"
DEFAULT_BROKER = "redis://127.0.0.1:6379/13"
FAMILY, PROBLEMS = "trianglebox", ("rank3",)
GOAL_RATIO = 1.8
# The bench's own polling (lock samples, the count of finished jobs) runs on the machine it measures: every
# 50 ms it took 0.12 of the 2 cores, which the two-worker case needed. Sampled four times less often.
SAMPLE_SECONDS = 0.25


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--candidates", type=int, default=1000, help="candidates per repetition (default 1000)")
    ap.add_argument("--repeats", type=int, default=5, help="repetitions per worker count (median; >= 3)")
    ap.add_argument("--workers", default="1,2", help="worker counts to compare (default 1,2)")
    ap.add_argument("--layout", choices=["concurrency", "processes", "both"], default="both")
    ap.add_argument("--warmup", type=int, default=6, help="warm-up jobs per worker process before timing")
    ap.add_argument("--problems", default=",".join(PROBLEMS), help="problems each candidate is scored on")
    ap.add_argument("--broker", default=None, help=f"broker URL (CELERY_BROKER_URL, else {DEFAULT_BROKER})")
    ap.add_argument("--worker-args", default="", metavar="ARGS",
                    help="more `celery worker` options, e.g. '--prefetch-multiplier=1' to compare settings")
    ap.add_argument("--seed", type=int, default=0, help="seed of the candidate sources")
    ap.add_argument("--timeout", type=float, default=900, help="seconds to wait for one batch")
    ap.add_argument("--profile", type=int, default=40, metavar="N",
                    help="also time the phases of N evaluations in this process (0: skip; default 40)")
    ap.add_argument("--ceiling", type=int, default=5, metavar="N",
                    help="also score repetition 0's sources with no database or Celery in 1 and in 2 "
                         "processes, N times each (0: skip; default 5): what the machine allows this work")
    ap.add_argument("--json", type=Path, default=DEFAULT_JSON,
                    help=f"where to write results ({DEFAULT_JSON})")
    args = ap.parse_args(argv)
    counts = [int(k) for k in args.workers.split(",")]
    layouts = ["concurrency", "processes"] if args.layout == "both" else [args.layout]
    problems = tuple(args.problems.split(","))
    broker = args.broker or os.environ.get("CELERY_BROKER_URL") or DEFAULT_BROKER
    queue = f"seedtrace-bench-{uuid.uuid4().hex[:10]}"
    start_machine = machine()

    scratch = ScratchPostgres("throughput")
    with scratch as database_url, tempfile.TemporaryDirectory(prefix="seedtrace-tp-") as var:
        env = child_env(DATABASE_URL=database_url, CELERY_BROKER_URL=broker, CELERY_QUEUE=queue,
                        SEEDTRACE_VAR_DIR=var)
        os.environ.update(env)  # this process is the client: same database, broker and queue
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        repeats = max(3, args.repeats)
        sources = {rep: _sources(args.candidates, args.seed * 1000 + rep) for rep in range(repeats)}
        configs = [(layout, k) for layout in layouts for k in counts
                   if not (layout == "processes" and k == 1 and "concurrency" in layouts)]
        sets: dict = {}
        batches = []
        try:
            for layout, k in configs:
                sets[(layout, k)] = _start_workers(layout, k, env, var, f"{queue}-{layout}-{k}",
                                                   args.worker_args.split())
            for (layout, k), workers in sets.items():
                _warm_up(layout, k, workers, problems, args)
            for rep in range(repeats):
                # ABBA order: a drift in the machine's load hits every worker count alike.
                for layout, k in configs if rep % 2 == 0 else configs[::-1]:
                    batches += _measure(layout, k, sets[(layout, k)], rep, sources[rep], problems, args)
            if "processes" in layouts and "concurrency" in layouts and 1 in counts:
                # One prefork worker with --concurrency=1 is the same thing in both layouts: measured once.
                batches += [dict(b, layout="processes") for b in batches
                            if b["layout"] == "concurrency" and b["workers"] == 1]
        except BaseException:
            for workers in sets.values():
                for _, log in workers.procs:
                    sys.stderr.write(f"--- {log} ---\n{log.read_text()[-3000:]}\n")
            raise
        finally:
            for workers in sets.values():
                _stop_workers(workers.procs)
            from django.db import connections

            connections.close_all()
            for workers in sets.values():
                _forget_queue(broker, workers.queue)
        try:
            profile = _profile(problems, args) if args.profile else None
        except Exception as error:  # the phases it wraps may have moved; the measurements above still stand
            profile = {"error": f"{type(error).__name__}: {error}"}
            print(f"profile skipped: {profile['error']}", file=sys.stderr)

    report = _report(batches, counts, layouts, problems, args, broker, start_machine)
    report["profile_one_process"] = profile
    report["ceiling"] = _ceiling(sources[0], problems, args.ceiling) if args.ceiling else None
    _print(report)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=1) + "\n")
    print(f"wrote {args.json}")
    return 0


# ---------------------------------------------------------------- candidates


def _sources(n: int, seed: int) -> list[str]:
    """n distinct GP sources: a third random trees, the rest 1-3 chained mutations of literature rules."""
    from evolution import gp

    rng = random.Random(seed)
    out: list[str] = []
    seen: set[str] = set()
    for child in gp.random_programs(n // 3, rng):
        seen.add(child.source)
        out.append(child.source)
    bases = [gp.KIRA3, gp.KIRA3_FLOORED, gp.LAPORTA]
    tries = 0
    while len(out) < n and tries < 50 * n:
        tries += 1
        program = gp.Individual.from_source(rng.choice(bases).source)
        try:
            for _ in range(rng.randint(1, 3)):
                program = gp.mutate(program, rng).as_individual()
        except gp.NoChild:
            continue
        if program.source not in seen:
            seen.add(program.source)
            out.append(program.source)
    rng.shuffle(out)
    return out


def _record_batch(sources: list[str], problems, label: str):
    """A fresh run holding these sources as candidates, each with its queued job (one transaction)."""
    from evolution.config import EvolutionConfig
    from evolution.evaluation import queue_job
    from provenance import ledger
    from provenance.models import Activity, Project

    project, _ = Project.objects.get_or_create(slug="bench-throughput", defaults={"name": "bench-throughput"})
    config = EvolutionConfig(family=FAMILY, problems=tuple(problems), engine="gp", budget=len(sources))
    run = ledger.start_run(project, family=FAMILY, problems=list(problems), engine="gp",
                           config=config.to_dict(), title=f"bench/throughput.py {label}")
    agent = ledger.algorithm_agent("gp", "bench.fixed_batch", version="bench")
    ids = []
    with ledger.batch(run):
        for source in sources:
            candidate = ledger.record_candidate(run, source=source, activity=Activity.RANDOM_INIT,
                                                agent=agent)
            queue_job(candidate)
            ids.append(candidate.pk)
    return run, ids


# ---------------------------------------------------------------- workers


class WorkerSet:
    def __init__(self, layout: str, k: int, queue: str, procs: list):
        self.layout, self.k, self.queue, self.procs = layout, k, queue, procs


def _start_workers(layout: str, k: int, env: dict, var: str, queue: str, extra: list[str]) -> WorkerSet:
    specs = [(1, k)] if layout == "concurrency" else [(i + 1, 1) for i in range(k)]
    started = []
    for index, concurrency in specs:
        log = Path(var) / f"worker-{layout}-{k}-{index}.log"
        cmd = [sys.executable, "-m", "celery", "-A", "seedtrace", "worker", "--pool=prefork",
               f"--concurrency={concurrency}", "--loglevel=INFO", "-Q", queue,
               "-n", f"bench-{layout}-{k}-{index}-{uuid.uuid4().hex[:6]}@%h",
               *extra]
        with open(log, "w") as out:
            proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                    start_new_session=True)
        started.append((proc, log))
    return WorkerSet(layout, k, queue, started)


def _stop_workers(procs) -> None:
    for proc, _ in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)  # warm shutdown; nothing is in flight by now
    deadline = time.monotonic() + 30
    for proc, _ in procs:
        try:
            proc.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _group_cpu_seconds(workers: WorkerSet) -> float:
    """utime+stime (and reaped children's) of every process in the worker set's sessions, from /proc."""
    sessions = {proc.pid for proc, _ in workers.procs}
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) in sessions:  # fields[3]: the session id (field 6 of /proc/PID/stat)
            total += sum(int(x) for x in fields[11:15]) / tick  # utime stime cutime cstime
    return total


def _postgres_cpu_seconds(cursor) -> float:
    """CPU seconds so far of the server processes serving the scratch database (this machine's server)."""
    cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for (pid,) in cursor.fetchall():
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # another machine's server, or gone
            continue
        total += sum(int(x) for x in fields[11:13]) / tick
    return total


def _machine_cpu() -> tuple[float, float]:
    """(busy, total) jiffies of all CPUs."""
    values = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


# ---------------------------------------------------------------- one batch


def _run_batch(ids: list[int], run, timeout: float, workers: WorkerSet) -> dict:
    from django.db import connection
    from django.utils import timezone

    from evolution.models import EvaluationJob
    from evolution.tasks import evaluate_candidate

    jobs = EvaluationJob.objects.filter(run=run)
    with connection.cursor() as cursor:
        pg0 = _postgres_cpu_seconds(cursor)
    clock0, machine0, group0 = time.monotonic(), _machine_cpu(), _group_cpu_seconds(workers)
    t0 = timezone.now()
    for pk in ids:
        evaluate_candidate.apply_async((pk,), queue=workers.queue)
    sent = timezone.now()
    samples = waiting = 0
    deadline = time.monotonic() + timeout
    last_count = 0.0
    with connection.cursor() as cursor:
        while True:
            cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                           "AND wait_event_type = 'Lock'")
            samples += 1
            waiting += cursor.fetchone()[0] > 0
            now = time.monotonic()
            if now - last_count >= 2 * SAMPLE_SECONDS:
                last_count = now
                done = jobs.filter(status=EvaluationJob.Status.DONE).count()
                if done == len(ids):
                    break
            if now > deadline:
                raise RuntimeError(f"batch of {len(ids)} not done in {timeout} s ({done} done); "
                                   "see the worker logs")
            time.sleep(SAMPLE_SECONDS)
    elapsed = time.monotonic() - clock0
    machine1, group1 = _machine_cpu(), _group_cpu_seconds(workers)
    with connection.cursor() as cursor:
        pg1 = _postgres_cpu_seconds(cursor)
    stats = _batch_stats(run, t0, workers.k)
    worker_cpu = group1 - group0
    stats.update(
        send_seconds=(sent - t0).total_seconds(),
        lock_wait_share=waiting / max(1, samples),
        lock_samples=samples,
        machine_busy_cores=(machine1[0] - machine0[0]) / max(1, machine1[1] - machine0[1]) * os.cpu_count(),
        worker_cpu_cores=worker_cpu / elapsed,
        worker_cpu_ms_per_job=worker_cpu / len(ids) * 1e3,
        postgres_cpu_ms_per_job=(pg1 - pg0) / len(ids) * 1e3,
        load_after=list(os.getloadavg()),
    )
    return stats


def _batch_stats(run, t0, processes: int) -> dict:
    """Where each job's time went, from its records. claimed_at → finished_at covers loading the candidate,
    the sandbox and the solver (the Evaluation's seconds), taking the run's chain lock and marking the job
    done; recording the evaluations and committing come after finished_at, as do Celery's own overheads:
    they are in the "outside" share, (K × wall − Σ claimed→finished) / jobs."""
    from evolution.models import EvaluationJob
    from provenance.models import Evaluation

    jobs = list(EvaluationJob.objects.filter(run=run).values("candidate_id", "claimed_at", "finished_at",
                                                                "attempts"))
    evaluations = list(Evaluation.objects.filter(run=run).values("candidate_id", "verdict", "seconds",
                                                                   "details", "failure"))
    wall = (max(j["finished_at"] for j in jobs) - t0).total_seconds()
    busy = sum((j["finished_at"] - j["claimed_at"]).total_seconds() for j in jobs)
    rule = solver = 0.0
    verdicts: dict[str, int] = {}
    for e in evaluations:
        seconds = e["seconds"] or 0.0
        details = e["details"] or {}
        rule_s = details.get("rule_seconds", seconds if e["verdict"] == "failed" else 0.0)
        rule += rule_s
        solver += seconds - rule_s
        failure = f" ({e['failure']})" if e["failure"] else ""
        kind = "capped" if details.get("capped") else e["verdict"] + failure
        verdicts[kind] = verdicts.get(kind, 0) + 1
    n = len(jobs)
    return {
        "jobs": n,
        "wall_seconds": wall,
        "evaluations_per_second": n / wall,
        "per_job_process_ms": processes * wall / n * 1e3,
        "claim_to_finish_ms": busy / n * 1e3,
        "rule_ms": rule / n * 1e3,
        "solver_ms": solver / n * 1e3,
        "claim_to_finish_other_ms": (busy - rule - solver) / n * 1e3,
        "outside_ms": (processes * wall - busy) / n * 1e3,
        "utilisation": busy / (processes * wall),
        "redeliveries": sum(j["attempts"] - 1 for j in jobs),
        "verdicts": verdicts,
    }


def _warm_up(layout: str, k: int, workers: WorkerSet, problems, args) -> None:
    """Django, numba kernels, seed pools and the sandbox's zygote load in each worker process on first use."""
    warm = _sources(args.warmup * k, 10_000 + args.seed + k)
    run, ids = _record_batch(warm, problems, f"warm-up {layout} {k}")
    started = time.monotonic()
    _run_batch(ids, run, args.timeout, workers)
    print(f"[{layout}, {k} worker(s)] warmed up ({len(ids)} jobs) in {time.monotonic() - started:.1f} s",
          file=sys.stderr, flush=True)


def _measure(layout: str, k: int, workers: WorkerSet, rep: int, sources: list[str], problems, args
             ) -> list[dict]:
    run, ids = _record_batch(sources, problems, f"{layout} {k} rep {rep}")
    stats = _run_batch(ids, run, args.timeout, workers)
    stats.update(layout=layout, workers=k, repetition=rep, run=run.pk)
    print(f"[{layout}, {k} worker(s)] rep {rep}: {stats['jobs']} in {stats['wall_seconds']:.2f} s = "
          f"{stats['evaluations_per_second']:.1f}/s; machine busy {stats['machine_busy_cores']:.2f} cores, "
          f"workers {stats['worker_cpu_cores']:.2f}; load {stats['load_after'][0]:.2f}", file=sys.stderr,
          flush=True)
    return [stats]


# ---------------------------------------------------------------- profile: one process, phase by phase


def _profile(problems, args) -> dict:
    """Evaluate candidates serially in this process (PostgreSQL, no Celery), timing the phases of
    evolution.evaluation.evaluate_candidate by wrapping the functions it calls (nothing changes on disk)."""
    import contextlib

    from evolution import evaluation, sandbox, scoring
    from provenance import chain, ledger

    timings: dict[str, float] = {}

    def timed(name, fn):
        def wrapper(*a, **kw):
            t = time.perf_counter()
            try:
                return fn(*a, **kw)
            finally:
                timings[name] = timings.get(name, 0.0) + time.perf_counter() - t
        return wrapper

    depth = [0]

    @contextlib.contextmanager
    def timed_batch(run):
        if depth[0]:  # record_evaluation joining the outer hold: timed as part of it
            with original_batch(run) as held:
                yield held
            return
        depth[0] += 1
        try:
            t = time.perf_counter()
            with original_batch(run) as held:
                inner = time.perf_counter()
                yield held
                body_end = time.perf_counter()
            end = time.perf_counter()
        finally:
            depth[0] -= 1
        for name, seconds in (("record: lock the chain head", inner - t),
                              ("record: job UPDATE + build the evaluations", body_end - inner),
                              ("record: INSERT the evaluations + commit", end - body_end)):
            timings[name] = timings.get(name, 0.0) + seconds

    originals = dict(claim=evaluation.claim, score=evaluation.score_program, check=sandbox.check,
                     run=sandbox.run, solve=scoring.score_problem)
    original_batch = ledger.batch
    warm = _sources(6, 20_000 + args.seed)
    sources = _sources(args.profile, 30_000 + args.seed)
    try:
        evaluation.claim = timed("claim (UPDATE)", originals["claim"])
        evaluation.score_program = timed("score_program (all)", originals["score"])
        sandbox.check = timed("  sandbox.check (static)", originals["check"])
        sandbox.run = timed("  sandbox.run (zygote round trip)", originals["run"])
        scoring.score_problem = timed("  solver (score_problem)", originals["solve"])
        ledger.batch = timed_batch
        for batch_sources in (warm, sources):  # the first warms this process up; the second is timed
            run, ids = _record_batch(batch_sources, problems, "profile")
            timings.clear()
            started = time.perf_counter()
            for pk in ids:
                evaluation.evaluate_candidate(pk, worker="bench-profile")
            total = time.perf_counter() - started
    finally:
        evaluation.claim, evaluation.score_program = originals["claim"], originals["score"]
        sandbox.check, sandbox.run = originals["check"], originals["run"]
        scoring.score_problem = originals["solve"]
        ledger.batch = original_batch
    del chain
    n = len(sources)
    phases = {name: seconds / n * 1e3 for name, seconds in timings.items()}
    accounted = sum(v for k, v in phases.items() if not k.startswith("  "))
    phases["rest (load candidate, problem set, ...)"] = total / n * 1e3 - accounted
    return {"jobs": n, "ms_per_job": total / n * 1e3, "phases_ms_per_job": phases}


# ---------------------------------------------------------------- ceiling: the work alone, 1 and 2 processes


def _ceiling(sources: list[str], problems, repeats: int) -> dict:
    """Evaluations per second of score_program alone (sandbox + solver: no database, broker or Celery) in
    one process, and split over two processes started together: the most two workers could gain here."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    rates: dict[int, list[float]] = {1: [], 2: []}
    for rep in range(repeats):
        for k in (1, 2) if rep % 2 == 0 else (2, 1):
            barrier, out = context.Barrier(k), context.Queue()
            procs = [context.Process(target=_score_alone, args=(sources[i::k], problems, barrier, out))
                     for i in range(k)]
            for proc in procs:
                proc.start()
            seconds = max(out.get(timeout=600) for _ in procs)
            for proc in procs:
                proc.join()
            rates[k].append(len(sources) / seconds)
    ratios = [two / one for one, two in zip(rates[1], rates[2], strict=True)]
    return {"evaluations_per_second": {str(k): median(v) for k, v in rates.items()},
            "ratio": median(ratios), "ratios": ratios, "repetitions": repeats}


def _score_alone(sources: list[str], problems, barrier, out) -> None:
    from evolution.problems import problem_set
    from evolution.scoring import score_program

    loaded = problem_set(FAMILY, tuple(problems))
    for source in sources[:6]:  # numba kernels, seed pools, the sandbox's zygote
        score_program(source, loaded)
    barrier.wait()
    started = time.perf_counter()
    for source in sources:
        score_program(source, loaded)
    out.put(time.perf_counter() - started)


# ---------------------------------------------------------------- scratch database and queue


def _forget_queue(broker: str, queue: str) -> None:
    """Remove the private queue's keys (empty by now) from Redis."""
    if not broker.startswith(("redis://", "rediss://")):
        return
    import redis

    client = redis.Redis.from_url(broker)
    try:
        # The queue's list, and its binding set (kombu names it _kombu.binding.Q or _kombu.binding_*.Q).
        keys = [queue] + [k for k in client.scan_iter(match="_kombu.binding*")
                          if k.decode().endswith(f".{queue}")]
        client.delete(*keys)
    finally:
        client.close()


# ---------------------------------------------------------------- report


def _report(batches, counts, layouts, problems, args, broker, start_machine) -> dict:
    summary = {}
    for layout in layouts:
        per = {}
        for k in counts:
            mine = [b for b in batches if b["layout"] == layout and b["workers"] == k]
            per[str(k)] = {key: median([b[key] for b in mine]) for key in (
                "evaluations_per_second", "wall_seconds", "per_job_process_ms", "claim_to_finish_ms",
                "rule_ms", "solver_ms", "claim_to_finish_other_ms", "outside_ms", "utilisation",
                "lock_wait_share", "machine_busy_cores", "worker_cpu_cores", "worker_cpu_ms_per_job",
                "postgres_cpu_ms_per_job")}
        base = per.get(str(counts[0]), {}).get("evaluations_per_second")
        for k in counts:
            eps = per[str(k)]["evaluations_per_second"]
            per[str(k)]["ratio_to_first"] = None if not base or eps is None else eps / base
        summary[layout] = per
    ratios = {layout: summary[layout][str(counts[-1])]["ratio_to_first"] for layout in layouts}
    paired = {layout: _paired_ratio(batches, layout, counts[0], counts[-1]) for layout in layouts}
    return {
        "benchmark": "throughput",
        "family": FAMILY,
        "problems": list(problems),
        "database": "PostgreSQL (scratch)",
        "broker": broker.split("@")[-1],
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {**start_machine, "loadavg_at_end": list(os.getloadavg())},
        "candidates_per_repetition": args.candidates,
        "repetitions": max(3, args.repeats),
        "worker_counts": counts,
        "layouts": {"concurrency": "one `celery -A seedtrace worker --pool=prefork --concurrency=K`",
                    "processes": "K workers, each --pool=prefork --concurrency=1"},
        "goal_ratio": GOAL_RATIO,
        "ratio": ratios,
        "paired_ratio_median": paired,
        "worker_args": args.worker_args,
        # The goal is judged on the paired ratio: repetitions score different sources (some take twice as
        # long as others), so the two medians of rates may come from different repetitions.
        "met": {layout: r is not None and r >= GOAL_RATIO for layout, r in paired.items()},
        "summary": summary,
        "batches": batches,
    }


def _paired_ratio(batches, layout: str, first: int, last: int) -> float | None:
    """Median over repetitions of (rate with `last` workers) / (rate with `first`): each repetition scores
    the same sources with both, so this ratio is free of the differences between repetitions' sources."""
    rate = {(b["workers"], b["repetition"]): b["evaluations_per_second"]
            for b in batches if b["layout"] == layout}
    ratios = [rate[(last, rep)] / rate[(first, rep)] for (k, rep) in rate
              if k == first and (last, rep) in rate and rate[(first, rep)]]
    return median(ratios) if ratios else None


def _print(report: dict) -> None:
    m = report["machine"]
    print(f"{report['family']} {','.join(report['problems'])}: "
          f"{report['candidates_per_repetition']} candidates "
          f"x {report['repetitions']} repetitions, PostgreSQL + {report['broker']} "
          f"({m['cpus']} cpus, load average {m['loadavg_at_start'][0]:.2f} at start, "
          f"{m['loadavg_at_end'][0]:.2f} at end)")
    head = ("layout", "workers", "eval/s (median)", "per repetition", "ratio", "ms/job/process",
            "claim->finish (rule+solver / rest)", "outside", "lock-wait samples",
            "busy cores: machine (workers)",
            "CPU ms/job: workers, PostgreSQL")
    rows = []
    for layout, per in report["summary"].items():
        for k, s in per.items():
            reps = [b for b in report["batches"] if b["layout"] == layout and str(b["workers"]) == k]
            rows.append((
                layout, k, fmt(s["evaluations_per_second"]),
                " ".join(fmt(b["evaluations_per_second"])
                         for b in sorted(reps, key=lambda b: b["repetition"])),
                fmt(s["ratio_to_first"], ".2f") + "x",
                fmt(s["per_job_process_ms"], ".1f"),
                f"{fmt(s['claim_to_finish_ms'], '.1f')} ({fmt(s['rule_ms'] + s['solver_ms'], '.1f')} / "
                f"{fmt(s['claim_to_finish_other_ms'], '.1f')})",
                fmt(s["outside_ms"], ".1f"),
                fmt(s["lock_wait_share"] * 100, ".1f") + "%",
                f"{fmt(s['machine_busy_cores'], '.2f')} ({fmt(s['worker_cpu_cores'], '.2f')})",
                f"{fmt(s['worker_cpu_ms_per_job'], '.1f')}, {fmt(s['postgres_cpu_ms_per_job'], '.1f')}",
            ))
    print_table(head, rows)
    print("(ms/job/process = K x wall / jobs; claim->finish = the job row's claimed_at..finished_at: load, "
          "sandbox, solver, chain lock, job UPDATE;\n outside = the rest of each process's time: recording "
          "the "
          "evaluations, commit, Celery and broker)")
    verdicts: dict[str, int] = {}
    for b in report["batches"]:
        for key, n in b["verdicts"].items():
            verdicts[key] = verdicts.get(key, 0) + n
    print("verdicts over all timed batches: " + ", ".join(f"{k} {v}" for k, v in sorted(verdicts.items())))
    profile = report.get("profile_one_process")
    if profile and "error" not in profile:
        print(f"one process, no Celery ({profile['jobs']} evaluations, serial): "
              f"{profile['ms_per_job']:.1f} ms/job")
        for name, ms in profile["phases_ms_per_job"].items():
            print(f"    {name:<48} {ms:7.2f} ms")
    ceiling = report.get("ceiling")
    if ceiling:
        rate = ceiling["evaluations_per_second"]
        print(f"ceiling, the rule + solver work alone (no database, no Celery): {fmt(rate['1'])} eval/s in "
              f"one process, {fmt(rate['2'])} in two = {fmt(ceiling['ratio'], '.2f')}x "
              f"({' '.join(fmt(r, '.2f') for r in ceiling['ratios'])})")
    for layout, ratio in report["ratio"].items():
        print(f"{layout}: {report['worker_counts'][-1]} vs {report['worker_counts'][0]} workers = "
              f"{fmt(report['paired_ratio_median'][layout], '.2f')}x, the median of the per-repetition "
              f"ratios (goal >= {report['goal_ratio']}x): {'met' if report['met'][layout] else 'MISSED'}; "
              f"ratio of the median rates {fmt(ratio, '.2f')}x")


if __name__ == "__main__":
    sys.exit(main())
