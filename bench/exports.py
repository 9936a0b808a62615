#!/usr/bin/env python
"""Export bench: a 500-ancestor lineage in each format (issue 7: each ≤ 3 s).

    .venv/bin/python bench/exports.py                    # PostgreSQL (DATABASE_URL's server, or the default)
    .venv/bin/python bench/exports.py --database sqlite
The lineage is recorded through provenance.ledger in a scratch database (<name>_exports_bench, or a temporary
SQLite file, dropped afterwards): a founder, then alternately an LLM step (prompt showing the parent, call,
program, evaluation) and a GP mutation with its evaluation, a note every 50 steps. Table on stdout, JSON in
bench/results/exports[-sqlite].json.
"""

import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import records  # noqa: E402  (the record bench: its scratch database, and the records it makes)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/seedtrace_exports_bench"
GOAL_S = 3.0
FORMATS = ["md", "tex", "jsonl", "prov", "crate", "disclosure", "disclosure-tex"]


def main() -> int:
    parser = records.arguments(__doc__)
    parser.add_argument("--depth", type=int, default=500, help="ancestors of the exported candidate")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    out = (
        args.json
        or ROOT / "bench" / "results" / f"exports{'' if args.database == 'postgres' else '-sqlite'}.json"
    )
    if args.database == "postgres":
        os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
        if not os.environ["DATABASE_URL"].rstrip("/").endswith("_bench"):
            os.environ["DATABASE_URL"] = os.environ["DATABASE_URL"].rstrip("/") + "_exports_bench"

    with records.scratch_database(args.database) as label:
        records.setup_django()
        from django.db import connection

        started = time.perf_counter()
        final = lineage(args.depth)
        built = time.perf_counter() - started
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        rows = [bench(fmt, final, args.repeat) for fmt in FORMATS]
        results = {
            "database": label,
            "server": connection.vendor + " " + ".".join(map(str, records.server_version(connection))),
            "python": platform.python_version(),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores",
            "ancestors": args.depth,
            "lineage_built_s": round(built, 2),
            "goal_s": GOAL_S,
            "formats": rows,
        }
        from django.db import connections

        connections.close_all()  # or the scratch database cannot be dropped
    print(f"{'format':<15} {'best s':>8} {'median s':>9} {'bytes':>10}  goal ≤ {GOAL_S} s")
    for row in rows:
        mark = "ok" if row["median_s"] <= GOAL_S else "SLOW"
        print(f"{row['format']:<15} {row['best_s']:>8.3f} {row['median_s']:>9.3f} {row['bytes']:>10}  {mark}")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {out}")
    return 0 if all(row["median_s"] <= GOAL_S for row in rows) else 1


def lineage(depth: int):
    from provenance import ledger
    from tests.steps import record_llm_step  # an LLM step in one transaction, as the old bench wrote it

    run, laporta, gp = records.world("bench", random_seed=1, code_version="bench")
    alice = run.started_by
    model = ledger.model_agent("openai", "gpt-4o-mini", version="2024-07-18", params={"temperature": 0.8})
    evaluation = {**records.EVALUATION, "point": {"s": 3}}
    with ledger.batch(run):
        parent = ledger.record_candidate(run, source=source(0), activity="literature", agent=laporta)
        ledger.record_evaluation(parent, score=-100.0, **evaluation)
        for i in range(1, depth + 1):
            if i % 2:
                step = record_llm_step(
                    run,
                    prompt=dict(
                        template_name="funsearch",
                        template_version="1",
                        slots=[parent],
                        text="You write seeding rules for IBP reduction.\n" + parent.source * 3,
                    ),
                    call=dict(agent=model, response_text="```python\n" + source(i) + "```\n", **records.CALL),
                    candidate=dict(source=source(i)),
                    evaluations=[dict(score=-100.0 + i / 10, **evaluation)],
                )
                parent = step.candidate
            else:
                parent = ledger.record_candidate(
                    run,
                    source=source(i),
                    activity="gp_mutation",
                    agent=gp,
                    parents=[(parent, "parent")],
                    params={"operator": "point"},
                )
                ledger.record_evaluation(parent, score=-100.0 + i / 10, **evaluation)
            if i % 50 == 0:
                ledger.annotate(parent, f"Checked step {i} by hand: *fine*.", alice)
    return parent


def source(i: int) -> str:
    return (
        f"def keep(seed):\n    # generation {i}\n    if seed.d > {i % 3}:\n        return False\n"
        f"    return seed.r <= seed.r_top + {i % 2} and seed.s <= {i % 5}\n"
    )


def bench(fmt: str, final, repeat: int) -> dict:
    from provenance.exports import export

    times, size = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        size = len(export(fmt, candidate=final.pk).content)
        times.append(time.perf_counter() - started)
    return {
        "format": fmt,
        "best_s": round(min(times), 4),
        "median_s": round(statistics.median(times), 4),
        "bytes": size,
    }


if __name__ == "__main__":
    sys.exit(main())
