#!/usr/bin/env python
"""Load bench: page latency for 20 concurrent clients on the production server (gunicorn, deploy/
gunicorn.conf.py) while a run writes, and what that load costs the run's throughput.

    .venv/bin/python bench/load.py                      # 20 clients, 1 s think time, 3 rounds of 20 s
    .venv/bin/python bench/load.py --think 0            # clients back to back: the server saturated
    .venv/bin/python bench/load.py --clients 5 --rounds 2 --window 10      # a quick look
    .venv/bin/python bench/load.py --json out.json

Set-up, all the product's defaults: a scratch PostgreSQL database (<name>_load_bench, dropped after), a
Redis of the bench's own, `--workers` Celery workers (prefork, one process each, at `nice` 10 as
deploy/systemd runs them), a GP run started with `evolve` (large budget, stopped with SIGTERM at the
end), gunicorn with deploy/gunicorn.conf.py (its
default: 2 × cores + 1 sync processes) and collected static files, DEBUG off.

After a warm-up, windows alternate: quiet (no clients), loaded (the clients run), `--rounds` times, and a
last quiet one. Throughput = jobs finished per second inside each window (from the jobs' finished_at); a
run slows as it grows, so each loaded window is set against the mean of the quiet windows on either side,
and the loss is the median of 1 − loaded / that mean. Each client, logged
in as a member of the run's project, loops over the four kinds of page: the run page, a candidate page,
a candidate's lineage JSON, and the API (run, candidate list, candidate, in turn), candidates drawn from
the run's recorded ones; it waits `--think` seconds between requests, as a person reading does (0: none).
Latency = the whole request, connection included (sync gunicorn closes each connection), per kind: median,
p95, max, errors (anything but 200). The bench's clients run on the machine they measure.

Goals (issue 14): p95 ≤ 500 ms for every kind at 20 clients while the run writes; throughput loss ≤ 20 %.
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
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

from bench._common import RESULTS, ScratchPostgres, child_env, fmt, machine, median, print_table  # noqa: E402
from tests.ports import free_port  # noqa: E402
from tests.redis_server import RedisServer  # noqa: E402

DEFAULT_JSON = RESULTS / "load.json"
KINDS = ("run page", "candidate page", "lineage json", "api")
GOAL_P95_MS, GOAL_LOSS = 500, 0.20


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--think", type=float, default=1.0, help="seconds a client waits between requests")
    ap.add_argument("--window", type=float, default=20.0, help="seconds per quiet or loaded window")
    ap.add_argument("--rounds", type=int, default=3, help="quiet + loaded pairs (median over them)")
    ap.add_argument("--warmup", type=float, default=20.0, help="seconds of the run before measuring")
    ap.add_argument("--workers", type=int, default=2, help="Celery worker processes")
    ap.add_argument("--access-log", default="/dev/null", help="gunicorn's access log, with each request's µs")
    ap.add_argument("--json", type=Path, default=DEFAULT_JSON)
    args = ap.parse_args(argv)

    start_machine = machine()
    scratch = ScratchPostgres("load")
    with scratch as database_url, tempfile.TemporaryDirectory(prefix="seedtrace-load-") as var:
        redis = RedisServer()
        port = free_port()
        env = child_env(DATABASE_URL=database_url, CELERY_BROKER_URL=redis.url, SEEDTRACE_VAR_DIR=var,
                        CELERY_QUEUE=f"seedtrace-load-{uuid.uuid4().hex[:8]}", ALLOWED_HOSTS="127.0.0.1",
                        GUNICORN_BIND=f"127.0.0.1:{port}")
        os.environ.update(env)
        processes: list[subprocess.Popen] = []
        try:
            session = _prepare()
            processes += _start(env, var, args.workers, args.access_log)
            run_id = _wait_for_run()
            time.sleep(args.warmup)
            site = Site(f"http://127.0.0.1:{port}", session, run_id)
            windows = _measure(site, args)
        finally:
            _stop(processes)
            redis.close()
    report = _report(windows, args, start_machine)
    _print(report)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nJSON: {args.json}")
    return 0 if report["goals_met"] else 1


def _prepare() -> str:
    """Migrate, collect static files, make the bench's user a member of the project; its session key."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    from provenance.models import Membership, Project

    user = get_user_model().objects.create_user("bench", password=uuid.uuid4().hex)
    project = Project.objects.create(slug="load", name="Load bench")
    Membership.objects.create(project=project, user=user, role=Membership.Role.OWNER)
    return _session_for(user)


def _session_for(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def _start(env: dict, var: str, workers: int, access_log: str) -> list[subprocess.Popen]:
    def spawn(name: str, command: list[str]) -> subprocess.Popen:
        log = open(Path(var) / f"{name}.log", "w")  # noqa: SIM115  (the process keeps it)
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)

    worker = ["nice", "-n", "10", sys.executable, "-m", "celery", "-A", "seedtrace", "worker",
              "--pool=prefork", "--concurrency=1", "--loglevel=WARNING"]
    started = [spawn(f"worker-{i}", [*worker, "-n", f"load{i}-{uuid.uuid4().hex[:6]}@%h"])
               for i in range(workers)]
    started.append(spawn("evolve", [sys.executable, "manage.py", "evolve", "--family", "trianglebox",
                                    "--problem", "rank3", "--budget", "1000000", "--population", "8",
                                    "--workers", str(workers), "--seed", "7", "--project", "load",
                                    "--user", "bench", "--verbosity", "0"]))
    started.append(spawn("gunicorn", [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py",
                                      "--access-logfile", access_log, "--access-logformat",
                                      '%(r)s %(s)s %(D)s', "seedtrace.wsgi"]))
    return started


def _wait_for_run(timeout: float = 120) -> int:
    from provenance.models import Run

    deadline = time.monotonic() + timeout
    while (run_id := Run.objects.values_list("pk", flat=True).first()) is None:
        if time.monotonic() > deadline:
            raise SystemExit("the run did not start")
        time.sleep(0.2)
    return run_id


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


class Site:
    """The pages a client asks for, each as (kind, path)."""

    def __init__(self, base: str, session: str, run_id: int):
        from django.conf import settings

        self.base, self.run_id = base, run_id
        self.cookie = f"{settings.SESSION_COOKIE_NAME}={session}"
        self.candidates: list[int] = []

    def refresh(self) -> None:
        """The run's recorded candidates so far (the newest 500 and the first 50)."""
        from provenance.models import Candidate

        ids = Candidate.objects.filter(run_id=self.run_id).values_list("pk", flat=True)
        self.candidates = sorted(set(ids.order_by("-pk")[:500]) | set(ids.order_by("pk")[:50]))

    def paths(self, rng: random.Random):
        api = (f"/api/runs/{self.run_id}/", f"/api/runs/{self.run_id}/candidates/", "/api/candidates/{}/")
        turn = 0
        while True:
            pk = rng.choice(self.candidates)
            yield "run page", f"/runs/{self.run_id}/"
            yield "candidate page", f"/candidates/{pk}/"
            yield "lineage json", f"/candidates/{pk}/lineage.json"
            yield "api", api[turn % 3].format(pk)
            turn += 1

    def get(self, path: str) -> tuple[float, int]:
        request = urllib.request.Request(self.base + path, headers={"Cookie": self.cookie})
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                response.read()
                status = response.status
        except urllib.error.HTTPError as error:
            status = error.code
        except OSError:
            status = 0
        return time.perf_counter() - started, status


def _measure(site: Site, args) -> list[dict]:
    """Quiet, loaded, quiet, …, quiet: each loaded window between two quiet ones."""
    windows = []
    for round_ in range(args.rounds):
        for loaded in (False, True):
            site.refresh()
            windows.append(_window(site, args, loaded, seed=round_))
    windows.append(_window(site, args, False, seed=args.rounds))
    return windows


def _window(site: Site, args, loaded: bool, seed: int) -> dict:
    from django.utils import timezone

    samples: list[tuple[str, float, int]] = []
    stop = threading.Event()
    clients = [threading.Thread(target=_client, args=(site, args.think, stop, samples, seed * 1000 + i))
               for i in range(args.clients if loaded else 0)]
    began = timezone.now()
    for client in clients:
        client.start()
    time.sleep(args.window)
    stop.set()
    ended = timezone.now()
    for client in clients:
        client.join()
    return {"loaded": loaded, "rate": _jobs_per_second(site.run_id, began, ended), "samples": samples}


def _client(site: Site, think: float, stop: threading.Event, samples: list, seed: int) -> None:
    rng = random.Random(seed)
    time.sleep(rng.uniform(0, think))  # clients do not all start in step
    for kind, path in site.paths(rng):
        if stop.is_set():
            return
        seconds, status = site.get(path)
        samples.append((kind, seconds, status))  # list.append is atomic under the GIL
        stop.wait(think)


def _jobs_per_second(run_id: int, began, ended) -> float:
    from evolution.models import EvaluationJob

    done = EvaluationJob.objects.filter(run_id=run_id, finished_at__gte=began, finished_at__lt=ended).count()
    return done / (ended - began).total_seconds()


def _report(windows: list[dict], args, start_machine: dict) -> dict:
    quiet = [w["rate"] for w in windows if not w["loaded"]]
    loaded = [w["rate"] for w in windows if w["loaded"]]
    # A run slows as it grows: each loaded window against the mean of the quiet ones on either side.
    around = [(quiet[i] + quiet[i + 1]) / 2 for i in range(len(loaded))]
    losses = [1 - rate / mean for rate, mean in zip(loaded, around, strict=True) if mean]
    loss = median(losses)
    samples = [s for w in windows for s in w["samples"]]
    kinds = {}
    for kind in KINDS:
        times = sorted(seconds * 1000 for k, seconds, _ in samples if k == kind)
        errors = sum(1 for k, _, status in samples if k == kind and status != 200)
        kinds[kind] = {"requests": len(times), "errors": errors, "median_ms": median(times),
                       "p95_ms": times[int(0.95 * (len(times) - 1))] if times else None,
                       "max_ms": times[-1] if times else None}
    met = (all(k["p95_ms"] is not None and k["p95_ms"] <= GOAL_P95_MS and not k["errors"]
               for k in kinds.values()) and loss is not None and loss <= GOAL_LOSS)
    return {"bench": "load", "machine": start_machine, "args": {k: str(v) for k, v in vars(args).items()},
            "quiet_jobs_per_s": quiet, "loaded_jobs_per_s": loaded, "losses": losses, "throughput_loss": loss,
            "requests_per_s": len(samples) / (args.window * args.rounds), "pages": kinds, "goals_met": met}


def _print(report: dict) -> None:
    print_table(("page", "requests", "errors", "median ms", "p95 ms", "max ms"),
                [(kind, k["requests"], k["errors"], fmt(k["median_ms"], ".0f"), fmt(k["p95_ms"], ".0f"),
                  fmt(k["max_ms"], ".0f")) for kind, k in report["pages"].items()])
    print()
    print_table(("windows", "jobs/s each", "median jobs/s"),
                [("quiet", " ".join(fmt(r, ".1f") for r in report["quiet_jobs_per_s"]),
                  fmt(median(report["quiet_jobs_per_s"]), ".1f")),
                 ("loaded", " ".join(fmt(r, ".1f") for r in report["loaded_jobs_per_s"]),
                  fmt(median(report["loaded_jobs_per_s"]), ".1f"))])
    loss = report["throughput_loss"]
    print(f"\nthroughput loss under load: {fmt(None if loss is None else 100 * loss, '.1f')} % "
          f"(goal ≤ {100 * GOAL_LOSS:.0f} %); {report['requests_per_s']:.1f} requests/s; "
          f"goals {'met' if report['goals_met'] else 'NOT met'}")


if __name__ == "__main__":
    sys.exit(main())
