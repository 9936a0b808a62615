#!/usr/bin/env python
"""Pages bench (issue 6), on a 10,000-candidate run written by the real engines: the controller in the
embedded mode, a mixed engine whose model is the local OpenAI-protocol server (bench/engine_run.py; about
ten minutes on 2 cores):

    .venv/bin/python bench/pages.py                    # PostgreSQL (DATABASE_URL's server, or the default)
    .venv/bin/python bench/pages.py --database sqlite  # for comparison

Goals: the whole run's lineage JSON ≤ 500 ms server time (median, Django's test Client); the whole-run
lineage page interactive in headless Chromium ≤ 3 s (navigation start → body[data-lineage-ready], against
`runserver --insecure` on this machine); the best candidate's page ≤ 100 ms, with its query count.
A scratch database (<name>_pages_bench, or a temporary SQLite file) is created, migrated, and dropped.
"""

import argparse
import json
import os
import platform
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from engine_run import evolve, mixed_config, model_server  # noqa: E402  (a run by the real engines)
from records import (  # noqa: E402  (the record bench's scratch database and summary)
    scratch_database,
    server_version,
    setup_django,
    summary,
)

sys.path.insert(0, str(ROOT))
from tests.browser.chromium import ARGS, CHROMIUM  # noqa: E402  (launched as the browser tests launch it)

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/seedtrace_pages_bench"
GOALS_MS = {"lineage_json": 500.0, "lineage_interactive": 3000.0, "candidate_page": 100.0}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--candidates", type=int, default=10_000, help="the run's budget")
    parser.add_argument("--ratio", type=float, default=0.5, help="share of the steps given to the model")
    parser.add_argument("--repeat", type=int, default=7, help="timed requests of each kind (≥ 5)")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    suffix = "" if args.database == "postgres" else "-sqlite"
    out = args.json or ROOT / "bench" / "results" / f"pages{suffix}.json"
    if args.database == "postgres":
        os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
        if not os.environ["DATABASE_URL"].rstrip("/").endswith("_bench"):
            os.environ["DATABASE_URL"] = os.environ["DATABASE_URL"].rstrip("/") + "_pages_bench"

    os.environ.pop("CELERY_BROKER_URL", None)  # the embedded mode: the whole run in this process
    with scratch_database(args.database) as label:
        setup_django(ALLOWED_HOSTS="testserver,127.0.0.1,localhost")
        from django.db import connection, connections

        load = os.getloadavg()[0]
        owner, run, evolved_s = real_run(args.candidates, args.ratio)
        results = {
            "database": label,
            "server": connection.vendor + " " + ".".join(map(str, server_version(connection))),
            "machine": f"{platform.machine()} {os.cpu_count()} cpus, Python {platform.python_version()}",
            "load_average_at_start": load,
            "load_average_after_the_run": os.getloadavg()[0],
            "candidates": run.candidates.count(),
            "llm_calls": run.llm_calls.count(),
            "edges": run.edges.count(),
            "evolved_s": round(evolved_s, 1),
            **server_side(owner, run, args.repeat),
            "lineage_interactive": in_chromium(owner, run, args.repeat),
        }
        connections.close_all()  # or the scratch database cannot be dropped

    results["goals_ms"] = GOALS_MS
    results["met"] = {
        key: results[key]["median_ms"] is not None and results[key]["median_ms"] <= goal
        for key, goal in GOALS_MS.items()
    }
    print_table(results)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nwrote {out}")
    return 0 if all(results["met"].values()) else 1


def real_run(candidates: int, ratio: float) -> tuple:
    """(owner, run, seconds): a mixed run of `candidates` by the real controller, in a project `bench` owns;
    then fresh statistics, as autovacuum would gather within a minute of the load."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from provenance.models import Membership, Project, Run

    owner = get_user_model().objects.create_user("bench")
    project = Project.objects.create(name="bench", slug="bench")
    Membership.objects.create(project=project, user=owner, role=Membership.Role.OWNER)
    with model_server() as server:
        config = mixed_config(server, candidates, ratio=ratio)
        run, seconds = evolve(project, owner, config, title="pages bench")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return owner, Run.objects.select_related("state").get(pk=run.pk), seconds


def server_side(owner, run, repeat: int) -> dict:
    from django.db import connection
    from django.test import Client

    client = Client()
    client.force_login(owner)
    best = run.state.best_candidate_id

    def timed(url: str) -> dict:
        assert client.get(url).status_code == 200, url  # warm-up
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        return {**summary(times, 1), "bytes": len(response.content)}

    queries = []  # counted at the cursor: the request's start clears Django's own query log

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(f"/candidates/{best}/")
    return {
        "lineage_json": timed(f"/runs/{run.pk}/lineage.json"),
        "lineage_page_server": timed(f"/runs/{run.pk}/lineage/"),
        "candidate_page": {**timed(f"/candidates/{best}/"), "queries": len(queries)},
        "ancestors_page_server": timed(f"/candidates/{best}/lineage/"),
        "run_page": timed(f"/runs/{run.pk}/"),
    }


def in_chromium(owner, run, repeat: int) -> dict:
    """Milliseconds from navigation start to the graph drawn and clickable (lineage.js stamps the time in
    body[data-lineage-ready]); the first visit with a cold cache, then warm ones."""
    if not os.path.exists(CHROMIUM):
        return {"median_ms": None, "skipped": f"no Chromium at {CHROMIUM}"}
    from django.test import Client
    from playwright.sync_api import sync_playwright

    client = Client()
    client.force_login(owner)
    session = client.cookies["sessionid"].value
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(port)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            context = browser.new_context(base_url=base, viewport={"width": 1400, "height": 900})
            context.add_cookies([{"name": "sessionid", "value": session, "url": base}])
            page = context.new_page()
            times = []
            for _ in range(repeat + 1):
                page.goto(f"/runs/{run.pk}/lineage/")
                page.wait_for_selector("body[data-lineage-ready]", state="attached", timeout=60_000)
                times.append(float(page.get_attribute("body", "data-lineage-ready")))
                timing = page.evaluate(
                    "(() => { const n = performance.getEntriesByType('navigation')[0];"
                    " return [n.responseStart, n.responseEnd, n.domContentLoadedEventEnd]; })()"
                )
            browser.close()
        return {
            **summary(times[1:], 1),
            "cold_ms": round(times[0], 1),
            "last_visit": dict(
                zip(
                    ["first_byte_ms", "html_received_ms", "dom_content_loaded_ms"],
                    [round(t, 1) for t in timing],
                    strict=True,
                )
            ),
            "chromium": subprocess.run(
                [CHROMIUM, "--version"], capture_output=True, text=True
            ).stdout.strip(),
        }
    finally:
        server.terminate()
        server.wait(timeout=10)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"runserver did not answer on port {port}")


def print_table(results: dict) -> None:
    print(f"{results['server']}  ({results['machine']}, load average {results['load_average_at_start']:.2f})")
    print(
        f"{results['candidates']} candidates, {results['llm_calls']} LLM calls, {results['edges']} edges, "
        f"written by a mixed run of the real engines in {results['evolved_s']} s\n"
    )
    rows = [
        ("whole-run lineage JSON (server)", "lineage_json", ""),
        ("whole-run lineage page interactive (Chromium)", "lineage_interactive", ""),
        (
            "best candidate's page (server)",
            "candidate_page",
            f"{results['candidate_page']['queries']} queries",
        ),
        ("  whole-run lineage page (server)", "lineage_page_server", "informational"),
        ("  best candidate's ancestors page (server)", "ancestors_page_server", "informational"),
        ("  run page (server)", "run_page", "informational"),
    ]
    print(f"{'measure':<48} {'median ms':>10} {'p90 ms':>9} {'goal ms':>8}  note")
    for label, key, note in rows:
        data, goal = results[key], GOALS_MS.get(key)
        if data.get("median_ms") is None:
            print(f"{label:<48} {'-':>10} {'-':>9} {goal or '-':>8}  {data.get('skipped', '')}")
            continue
        if key == "lineage_interactive":
            note = f"cold cache {data['cold_ms']:.0f}; {data['chromium']}"
        mark = "" if goal is None else ("ok" if data["median_ms"] <= goal else "MISSED")
        goal_text = f"{goal:g}" if goal else "-"
        print(f"{label:<48} {data['median_ms']:>10.1f} {data['p90_ms']:>9.1f} {goal_text:>8}  {mark} {note}")


if __name__ == "__main__":
    sys.exit(main())
