"""Helpers shared by bench/discovery.py and bench/throughput.py: environment, tables, medians, machine."""

from __future__ import annotations

import json
import os
import platform
import secrets
import statistics
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_DB_URL = "postgres://postgres@127.0.0.1:5432/seedtrace"
# Variables a bench sets itself for its children; inherited values would point them at the wrong place.
PRIVATE = ("DATABASE_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "CELERY_QUEUE", "SEEDTRACE_VAR_DIR",
           "DJANGO_SETTINGS_MODULE")


def child_env(**extra: str) -> dict[str, str]:
    """The environment for a Seedtrace process started by a bench: no inherited database, broker or queue,
    DEBUG off (it would keep every SQL statement and cost time on each), a throwaway secret key."""
    env = {k: v for k, v in os.environ.items() if k not in PRIVATE}
    env.update(DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50), DJANGO_SETTINGS_MODULE="seedtrace.settings",
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    env.update(extra)
    return env


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def machine() -> dict:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "loadavg_at_start": list(os.getloadavg()),
    }


def write_report(report: dict, path: Path) -> None:
    """The bench's JSON, its folder made where missing, and where it went."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=1) + "\n")
    print(f"wrote {path}")


def print_table(head: tuple, rows: list[tuple], out=sys.stdout) -> None:
    table = [tuple(str(c) for c in head)] + [tuple("-" if c is None else str(c) for c in row) for row in rows]
    widths = [max(len(row[i]) for row in table) for i in range(len(head))]
    for k, row in enumerate(table):
        print(" | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip(), file=out)
        if k == 0:
            print("-+-".join("-" * w for w in widths), file=out)


def fmt(x, spec: str = ".1f", none: str = "-") -> str:
    return none if x is None else format(x, spec)


class ScratchPostgres:
    """<name>_<bench>_bench beside DATABASE_URL's database (or the default server's): created empty on entry,
    dropped on exit. Yields its URL."""

    def __init__(self, bench: str):
        self.bench = bench

    def __enter__(self) -> str:
        url = urlsplit(os.environ.get("DATABASE_URL") or DEFAULT_DB_URL)
        if url.scheme not in {"postgres", "postgresql", "pgsql"}:
            url = urlsplit(DEFAULT_DB_URL)
        name = url.path.lstrip("/") or "seedtrace"
        self.name = f"{name.removesuffix('_bench')}_{self.bench}_bench"
        self.admin = urlunsplit(url._replace(path="/postgres", query=""))
        self._sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)', f'CREATE DATABASE "{self.name}"')
        return urlunsplit(url._replace(path=f"/{self.name}"))

    def __exit__(self, *exc):
        self._sql(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def _sql(self, *statements):
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as conn:
            for statement in statements:
                conn.execute(statement)
