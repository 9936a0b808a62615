#!/usr/bin/env python
"""Record-store bench: what recording costs per candidate on the path production takes; ancestors at depth 500
in a 10,000-candidate run.

    .venv/bin/python bench/records.py                    # PostgreSQL (DATABASE_URL's server, or the default)
    .venv/bin/python bench/records.py --database sqlite  # for comparison
    .venv/bin/python bench/records.py --budget 200 --model-latency 1   # the model answering in 1 s, as hosted
                                                                        # chat models do (or slower)
    .venv/bin/python bench/records.py --runs 5             # five runs: judged on the median of their medians
Goals (issues 2 and 15): recording a candidate ≤ 5 ms median and ≤ 2 % of the run's time, on PostgreSQL, in a
mixed run of the real controller (embedded: no broker, evaluations in this process) against the local
OpenAI-protocol server: the prompt, each call, the candidate with its edges, its evaluation and the program
database's events, each in the transaction the engines write it in (bench/recording_clock.py says how the
time is charged); ancestors of a node at depth 500 in a 10,000-candidate run ≤ 50 ms (a layered synthetic
lineage written through the ledger: a real run's depth cannot be chosen). The share of the run's time depends
on how long the model takes: with an instant model (the default) a mixed run is almost all recording and
evaluation; --model-latency measures it against a model that answers as a hosted one does. One run's median
moves by ±1.5 ms from run to run on a 2-core machine: --runs gives a number to compare. Beside it, the
machine's own cost of one bare write (an INSERT committed alone, back to back and after 5 ms of the client's
work), to read a candidate's recording as a number of writes.
A scratch database (<name>_bench, or a temporary SQLite file) is created, migrated, and dropped afterwards.
"""

import argparse
import json
import os
import platform
import random
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/seedtrace_bench"
GOALS_MS = {"per_candidate": 5.0, "ancestors": 50.0}
GOAL_SHARE = 0.02  # of the run's wall time
UNITS = {"evaluations": "step's evaluations"}  # a unit of work's name in the table, where it is not its kind


def main() -> int:
    parser = arguments(__doc__)
    parser.add_argument("--budget", type=int, default=1000, help="candidates of the timed mixed run")
    parser.add_argument("--runs", type=at_least_one, default=1,
                        help="mixed runs, one after another (the same run each time): the goals are judged "
                             "on the median of their medians, and the table shows the run with that median")
    parser.add_argument("--model-latency", type=float, default=0.0,
                        help="seconds the model server takes per answer (0: instant; hosted chat models "
                             "take seconds, which is what the share of the run's time is measured against)")
    parser.add_argument("--candidates", type=int, default=10_000)
    parser.add_argument("--depth", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=21, help="timed repetitions of each lineage query")
    parser.add_argument(
        "--json", type=Path, default=None, help="default: bench/results/records[-sqlite].json"
    )
    args = parser.parse_args()
    suffix = "" if args.database == "postgres" else "-sqlite"
    out = args.json or ROOT / "bench" / "results" / f"records{suffix}.json"

    os.environ.pop("CELERY_BROKER_URL", None)  # the embedded mode: the whole run in this process
    with scratch_database(args.database) as label:
        setup_django()
        from django.db import connection

        results = {
            "database": label,
            "server": connection.vendor + " " + ".".join(map(str, server_version(connection))),
            "prepared_statements": prepared_statements(connection),
            "machine": f"{platform.machine()} {os.cpu_count()} cpus, Python {platform.python_version()}",
            "load_average_at_start": os.getloadavg()[0],
            **real_paths([bench_real_path(args.budget, args.model_latency, n)
                          for n in range(args.runs)]),
            "load_average_after_the_run": os.getloadavg()[0],
            "round_trip": bench_round_trip(connection),
            "lineage": bench_lineage(args.candidates, args.depth, args.repeat),
        }
        connection.close()

    results["goals_ms"], results["goal_share"] = GOALS_MS, GOAL_SHARE
    runs = results["real_path_runs"]
    results["met"] = {
        "per_candidate": statistics.median(r["median_ms"] for r in runs) <= GOALS_MS["per_candidate"],
        "share_of_run": statistics.median(r["share_of_run"] for r in runs) <= GOAL_SHARE,
        "ancestors": results["lineage"]["ancestors"]["median_ms"] <= GOALS_MS["ancestors"],
    }
    print_table(results)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwrote {out}")
    return 0


def at_least_one(text: str) -> int:
    number = int(text)
    if number < 1:
        raise argparse.ArgumentTypeError(f"at least 1, not {number}")
    return number


def arguments(description: str) -> argparse.ArgumentParser:
    """A database bench's options, starting with the database it runs on (a scratch one either way)."""
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    return parser


def setup_django(**environment: str) -> None:
    """Django for a bench, on the scratch database: DEBUG off (it would keep every SQL statement in memory
    and cost time on each; without it a key is required), then migrate."""
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "seedtrace.settings")
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
    os.environ.update(environment)
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


class scratch_database:
    def __init__(self, kind: str):
        self.kind = kind

    def __enter__(self) -> str:
        if self.kind == "sqlite":
            self.path = Path(tempfile.mkdtemp()) / "bench.sqlite3"
            os.environ["DATABASE_URL"] = f"sqlite:///{self.path}"
            return f"sqlite {self.path}"
        url = urlsplit(os.environ.get("DATABASE_URL") or DEFAULT_URL)
        if url.scheme not in {"postgres", "postgresql", "pgsql"}:
            raise SystemExit(f"DATABASE_URL is not PostgreSQL: {url.geturl()}")
        name = url.path.lstrip("/") or "seedtrace"
        # Never the database DATABASE_URL names: a scratch one beside it, which this bench may drop.
        self.name = name if name.endswith("_bench") else f"{name}_bench"
        self.admin = urlunsplit(url._replace(path="/postgres", query=""))
        self._sql(f'DROP DATABASE IF EXISTS "{self.name}"', f'CREATE DATABASE "{self.name}"')
        os.environ["DATABASE_URL"] = urlunsplit(url._replace(path=f"/{self.name}"))
        return f"postgresql {url.hostname}:{url.port or 5432}/{self.name}"

    def __exit__(self, *exc):
        if self.kind == "sqlite":
            self.path.unlink(missing_ok=True)
            self.path.parent.rmdir()
        else:
            self._sql(f'DROP DATABASE IF EXISTS "{self.name}"')

    def _sql(self, *statements):
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)


def prepared_statements(connection) -> bool:
    """Whether the records' writes alone go as prepared statements (provenance.prepared)."""
    if connection.vendor != "postgresql":
        return False
    from provenance import prepared

    return prepared.enabled(connection)


def server_version(connection) -> tuple:
    if connection.vendor == "postgresql":
        version = connection.pg_version  # e.g. 150020
        return version // 10000, version % 100
    import sqlite3

    return sqlite3.sqlite_version_info


def world(name: str, **run_fields):
    """A run of a project of its own, started by alice-<name>, and the agents of its founders and mutants."""
    from django.contrib.auth import get_user_model

    from provenance import ledger
    from provenance.models import Project

    alice = get_user_model().objects.create_user(f"alice-{name}")
    project = Project.objects.create(name=name, slug=name)
    run = ledger.start_run(
        project, family="trianglebox", problems=["rank3"], engine="mixed", started_by=alice, **run_fields
    )
    laporta = ledger.literature_agent("Laporta rule", "S. Laporta, hep-ph/0102033", "hep-ph/0102033")
    gp = ledger.algorithm_agent("gp", "crossover", version="bench")
    return run, laporta, gp


# What the benches record of an LLM call and of a complete evaluation (trianglebox rank3 with Kira-3's seeds).
CALL = {"request_temperature": 0.8, "request_max_tokens": 512, "usage_input_tokens": 900}
CALL |= {"usage_output_tokens": 300, "latency_seconds": 1.25, "cost": "0.00042", "price_table": "bench"}
EVALUATION = {"problem": "rank3", "verdict": "complete", "seeds": 92, "equations": 828, "masters": 16}
EVALUATION |= {"unreduced": 0, "seconds": 0.21, "solver_version": "bench", "prime": 2**31 - 1}
PROMPT = "You write seeding rules for IBP reduction.\n" + "def keep_v0(seed):\n    return seed.r <= 6\n" * 40
RESPONSE = (
    "def keep_v2(seed):\n    return seed.d == 0 and seed.s <= seed.s_top - (seed.t_top - seed.t)\n" * 10
)


def real_paths(runs: list[dict]) -> dict:
    """The runs in a line each, and the run whose median is the median of their medians (the lower middle one
    of an even number)."""
    ranked = sorted(runs, key=lambda run: run["per_candidate"]["median_ms"])
    return {
        "real_path": ranked[(len(ranked) - 1) // 2],
        "real_path_runs": [{"median_ms": run["per_candidate"]["median_ms"],
                            "p95_ms": run["per_candidate"]["p95_ms"], "share_of_run": run["share_of_run"],
                            "run_seconds": run["run_seconds"]} for run in runs],
    }


def bench_real_path(budget: int, latency: float = 0.0, n: int = 0) -> dict:
    """A mixed run of `budget` candidates by the real controller against the local OpenAI-protocol server
    (bench/engine_run.py), with every ledger call and record transaction it makes timed and charged to the
    candidates they were for (bench/recording_clock.py)."""
    from django.contrib.auth import get_user_model
    from engine_run import evolve, mixed_config, model_server
    from recording_clock import RecordingClock, clocked, per_candidate, per_unit, summary_ms

    from provenance.models import Candidate, Project

    user = get_user_model().objects.create_user(f"alice-real-{n}")
    project = Project.objects.create(name=f"real path {n}", slug=f"real-path-{n}")
    with model_server(latency) as server, clocked(RecordingClock()) as clock:
        run, seconds = evolve(project, user, mixed_config(server, budget), title="records bench")
    cost = per_candidate(clock)
    activity = dict(Candidate.objects.filter(pk__in=cost).values_list("pk", "activity"))
    by_kind = {"llm": ("llm",), "gp": ("gp_mutation", "gp_crossover", "random_init")}
    return {
        "candidates": run.candidates.count(),
        "proposed": len(cost),
        "prompts": run.prompts.count(),
        "llm_calls": run.llm_calls.count(),
        "edges": run.edges.count(),
        "events": run.events.count(),
        "run_seconds": round(seconds, 2),
        "model_latency_seconds": latency,
        "per_candidate": summary_ms(list(cost.values())),
        **{f"per_{kind}_candidate": summary_ms([c for pk, c in cost.items() if activity[pk] in names])
           for kind, names in by_kind.items()},
        "recording_seconds": round(clock.total(), 3),
        "in_ledger_calls_seconds": round(clock.total("ledger"), 3),
        "share_of_run": round(clock.total() / seconds, 4),
        "per_unit_of_work": {kind: summary_ms(seconds) for kind, seconds in per_unit(clock).items()},
        "ledger_calls": dict(clock.calls),
    }


def bench_round_trip(connection, n: int = 200, work_ms: float = 5.0) -> dict:
    """The machine's own cost of one write, to read the recording numbers against: a bare INSERT … RETURNING,
    committed alone, back to back and after `work_ms` of the client's own work (as a record's write comes
    after its records are built: a VM's database process, idle meanwhile, answers more slowly then)."""
    key = "bigserial" if connection.vendor == "postgresql" else "integer"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TABLE bench_round_trip (id {key} PRIMARY KEY, v text)")

    def timed(before=None) -> list[float]:
        times = []
        with connection.cursor() as cursor:
            for i in range(n):
                if before:
                    before()
                start = time.perf_counter()
                cursor.execute("INSERT INTO bench_round_trip (v) VALUES (%s) RETURNING id", [str(i)])
                cursor.fetchone()
                times.append((time.perf_counter() - start) * 1e3)
        return times

    def work():
        until = time.perf_counter() + work_ms / 1e3
        while time.perf_counter() < until:
            pass

    try:
        return {"back_to_back": summary(timed()), "after_client_work": summary(timed(work)),
                "client_work_ms": work_ms}
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE bench_round_trip")


def bench_lineage(candidates: int, depth: int, repeat: int) -> dict:
    """A layered run: generation g holds ~candidates/(depth+1) programs, each a mutation (1 parent) or a
    crossover (2 parents) of programs of generation g-1: the last generation is at depth `depth` exactly."""
    from provenance import ancestry, ledger

    run, laporta, gp = world("lineage")
    rng = random.Random(2)
    generations = depth + 1
    sizes = [candidates // generations + (g < candidates % generations) for g in range(generations)]
    previous, made = [], 0
    started = time.perf_counter()
    for g, size in enumerate(sizes):
        with ledger.batch(run):
            current = []
            for i in range(size):
                source = f"def keep(seed):\n    return seed.r <= {g} and seed.s <= {i}\n"
                if not previous:
                    current.append(
                        ledger.record_candidate(run, source=source, activity="literature", agent=laporta)
                    )
                    continue
                parents = rng.sample(previous, 2 if rng.random() < 0.5 else 1)
                roles = [(parents[0], "parent")] + [(p, "crossover_donor") for p in parents[1:]]
                current.append(
                    ledger.record_candidate(
                        run,
                        source=source,
                        activity="gp_crossover" if len(parents) > 1 else "gp_mutation",
                        agent=gp,
                        parents=roles,
                        island=i % 10,
                    )
                )
            made += len(current)
            previous = current
    build_seconds = time.perf_counter() - started
    from django.db import connection

    with connection.cursor() as cursor:
        # Fresh statistics, as autovacuum would gather within a minute of the load; without them PostgreSQL
        # scans the whole edge table at each step of the recursion (see provenance/ancestry.py).
        cursor.execute("ANALYZE")
    target, founder = previous[0].pk, run.candidates.order_by("seq").first().pk

    def timed(query, *args):
        times, found = [], None
        for _ in range(repeat):
            started = time.perf_counter()
            found = query(*args)
            times.append((time.perf_counter() - started) * 1000)
        return found, summary(times)

    found, ancestors = timed(ancestry.ancestors, target)
    assert max(found.depth.values()) == depth, "the synthetic run is not as deep as asked"
    below, descendants = timed(ancestry.descendants, founder)
    near, bounded = timed(ancestry.ancestors, target, 10)
    return {
        "candidates": made,
        "edges": run.edges.count(),
        "build_seconds": round(build_seconds, 2),
        "ancestors": {**ancestors, "depth": depth, "found": len(found.depth), "edges": len(found.edges)},
        "descendants_of_a_founder": {**descendants, "found": len(below.depth)},
        "ancestors_within_10": {**bounded, "found": len(near.depth)},
    }


def summary(times: list[float], digits: int = 3) -> dict:
    """n, median, 90th percentile and minimum of milliseconds (bench/pages.py shows them to 0.1 ms)."""
    times = sorted(times)
    return {
        "n": len(times),
        "median_ms": round(statistics.median(times), digits),
        "p90_ms": round(times[int(0.9 * (len(times) - 1))], digits),
        "min_ms": round(times[0], digits),
    }


def print_table(results: dict) -> None:
    real, lin = results["real_path"], results["lineage"]
    prepared = ", writes alone prepared" if results["prepared_statements"] else ""
    print(f"{results['server']}{prepared}  ({results['machine']}, load average "
          f"{results['load_average_at_start']:.2f} at the start, {results['load_average_after_the_run']:.2f} "
          "after the run)")
    print(f"mixed run: {real['proposed']} candidates proposed ({real['candidates']} with copies), "
          f"{real['prompts']} prompts, {real['llm_calls']} calls, {real['edges']} edges, {real['events']} "
          f"events in {real['run_seconds']} s (the model answering in {real['model_latency_seconds']:g} s); "
          f"recording {real['recording_seconds']} s = "
          f"{100 * real['share_of_run']:.2f} % of the run (goal ≤ {100 * GOAL_SHARE:g} %)\n")
    print(f"{'measure':<58} {'median ms':>10} {'p95 ms':>9} {'goal ms':>8}  note")
    for label, key, goal in [("recording one candidate (real path, mixed)", "per_candidate", 5.0),
                             ("  a model's candidate", "per_llm_candidate", None),
                             ("  a GP candidate", "per_gp_candidate", None)]:
        data = real[key]
        if data["n"]:
            print(f"{label:<58} {data['median_ms']:>10.2f} {data['p95_ms']:>9.2f} {goal or '-':>8}  "
                  f"{data['n']} candidates, max {data['max_ms']:.1f}")
    for kind, data in sorted(real["per_unit_of_work"].items()):
        label = f"  recording of one {UNITS.get(kind, kind)}"
        print(f"{label:<58} {data['median_ms']:>10.2f} {data['p95_ms']:>9.2f} {'-':>8}  {data['n']} of them")
    trip = results["round_trip"]
    after = trip["after_client_work"]["median_ms"]
    work = f"{trip['client_work_ms']:g} ms of client work"
    for label, data, note in [
        ("  the machine: one INSERT, committed, back to back", trip["back_to_back"], "a bare write"),
        (f"  the machine: the same after {work}", trip["after_client_work"],
         f"a candidate's recording is {real['per_candidate']['median_ms'] / after:.1f} of these"),
    ]:
        print(f"{label:<58} {data['median_ms']:>10.2f} {data['p90_ms']:>9.2f} {'-':>8}  {note} (p90)")
    runs = results["real_path_runs"]
    if len(runs) > 1:
        medians = ", ".join(f"{run['median_ms']:.2f}" for run in runs)
        print(f"{len(runs)} runs, median per candidate in each: {medians} ms; median of the medians "
              f"{statistics.median(run['median_ms'] for run in runs):.2f} ms (the table shows that run)")
    rows = [
        (f"ancestors at depth {lin['ancestors']['depth']} of {lin['candidates']}", lin["ancestors"],
         GOALS_MS["ancestors"], f"{lin['ancestors']['found']} ancestors, {lin['ancestors']['edges']} edges"),
        ("descendants of a founder", lin["descendants_of_a_founder"], None,
         f"{lin['descendants_of_a_founder']['found']} descendants"),
        ("ancestors within 10 generations", lin["ancestors_within_10"], None,
         f"{lin['ancestors_within_10']['found']} ancestors"),
    ]
    print(f"\n{'lineage query':<58} {'median ms':>10} {'p90 ms':>9} {'goal ms':>8}  note")
    for label, data, goal, note in rows:
        goal_text = f"{goal:g}" if goal else "-"
        print(f"{label:<58} {data['median_ms']:>10.2f} {data['p90_ms']:>9.2f} {goal_text:>8}  {note}")
    print(f"(synthetic lineage built in {lin['build_seconds']} s through the ledger)")


if __name__ == "__main__":
    sys.exit(main())
