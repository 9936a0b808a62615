#!/usr/bin/env python
"""Screenshots of every page at 1440 px (desktop) and 390 px (phone) wide, for the README (issue 17):

    .venv/bin/python docs/screenshots/make.py            # writes docs/screenshots/<page>-<width>.png

Everything happens in a scratch directory under /tmp (SQLite database, secret key, cache): var/ and the
database DATABASE_URL names are never touched. A small real evolution (GP from the Laporta rule on the
two-loop triangle-box, trained on rank3, held out on rank4, 400 candidates) is recorded, a person's note
and a human edit are added, `runserver` serves it with DEBUG on, and Debian's Chromium (launched as the
browser tests launch it) logs in through the login form and captures each page.
"""

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
USER, PASSWORD, PROJECT = "ada", "seedtrace screenshots", "triangle-box"
WIDTHS = {1440: 900, 390: 844}  # viewport width: height
NOTE = (
    "Best rule of this run: it drops the seeds with **both** extra dots and extra numerator powers "
    "beyond the top sector. Check it on `rank5` before we cite it."
)
RUN_NOTE = "Baseline for Table 2: GP from the Laporta rule, no model. The LLM runs are compared with it."
EDIT_RATIONALE = "Same rule, marked as checked by hand against Kira's seeds for rank3."

sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=OUT, help="where the PNGs go (default: this folder)")
    parser.add_argument("--budget", type=int, default=400, help="candidates in the evolution")
    parser.add_argument("--keep", action="store_true",
                        help="keep the scratch directory (its path is printed)")
    args = parser.parse_args()
    started = time.monotonic()

    scratch = Path(tempfile.mkdtemp(prefix="seedtrace-screenshots-"))
    os.environ.update(
        DATABASE_URL=f"sqlite:///{scratch / 'db.sqlite3'}",
        SEEDTRACE_VAR_DIR=str(scratch),
        DEBUG="1",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SETTINGS_MODULE="seedtrace.settings",
        LOG_LEVEL="WARNING",
    )
    os.environ.pop("CELERY_BROKER_URL", None)  # evaluations eagerly, in this process
    os.environ.pop("CELERY_RESULT_BACKEND", None)
    try:
        import django

        django.setup()
        pages = record(args.budget)
        print(f"recorded in {time.monotonic() - started:.0f} s", flush=True)
        with server() as base:
            written = capture(base, pages, args.out)
    finally:
        if args.keep:
            print(f"scratch directory kept: {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)

    total = sum(path.stat().st_size for path in written)
    for path in written:
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        print(f"{path.stat().st_size / 1024:8.0f} KiB  {shown}")
    print(f"{len(written)} files, {total / 1024 / 1024:.2f} MiB, {time.monotonic() - started:.0f} s")
    return 0


def record(budget: int) -> dict[str, str]:
    """Migrate, make the person and project, evolve, annotate and edit; the address of each page."""
    import json
    from io import StringIO

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from provenance import ledger
    from provenance.models import Candidate, Run
    from web.submit import submit_edit

    call_command("migrate", verbosity=0, interactive=False)
    user = get_user_model().objects.create_user(USER, email="ada@example.org", password=PASSWORD,
                                                first_name="Ada", last_name="Lovelace")
    out = StringIO()
    call_command("evolve", family="trianglebox", problem="rank3", held_out="rank4", budget=budget,
                 user=USER, project=PROJECT, title="Triangle-box rank 3, GP from Laporta", json=True,
                 verbosity=0, stdout=out)
    summary = json.loads(out.getvalue().strip().splitlines()[-1])
    run = Run.objects.select_related("project", "state").get(pk=summary["run"])
    best = Candidate.objects.get(pk=run.state.best_candidate_id)
    ledger.annotate(best, NOTE, user)
    ledger.annotate(run, RUN_NOTE, user)
    edited = best.source.rstrip("\n") + "\n# checked by hand against Kira's seeds for rank3\n"
    edit = submit_edit(best, edited, user, EDIT_RATIONALE)
    print(f"run {run.pk}, best candidate {best.pk}, human edit {edit.pk}", flush=True)
    slug, query = run.project.slug, "laporta"
    return {
        "login": "/login/",
        "projects": "/",
        "project": f"/p/{slug}/",
        "run": f"/runs/{run.pk}/",
        "candidate": f"/candidates/{best.pk}/",
        "lineage-graph": f"/candidates/{best.pk}/lineage/?view=graph",
        "lineage-list": f"/candidates/{best.pk}/lineage/?view=list",
        "blame": f"/candidates/{best.pk}/blame/",
        "search": f"/p/{slug}/search/?q={query}",
        "edit": f"/candidates/{best.pk}/edit/",
        "profile": "/profile/",
    }


# Pages captured whole (what matters runs below the fold); the others at the viewport's height.
FULL_PAGE = {"run", "candidate", "lineage-graph", "lineage-list", "blame", "search", "edit", "project"}


class server:
    """`manage.py runserver` on a free port, DEBUG on (static files served), against the scratch database."""

    def __enter__(self) -> str:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{self.port}", "--noreload"],
            cwd=ROOT, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return f"http://127.0.0.1:{self.port}"
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError("runserver exited") from None
                time.sleep(0.2)
        raise RuntimeError("runserver did not start in 30 s")

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def capture(base: str, pages: dict[str, str], out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    from tests.browser.chromium import ARGS, CHROMIUM

    out.mkdir(parents=True, exist_ok=True)
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for width, height in WIDTHS.items():
            context = browser.new_context(base_url=base, viewport={"width": width, "height": height},
                                          device_scale_factor=1)
            context.set_default_timeout(30_000)
            page = context.new_page()
            problems: list[str] = []
            page.on("pageerror", lambda error, seen=problems: seen.append(str(error)))
            page.on("console", lambda m, seen=problems: seen.append(m.text) if m.type == "error" else None)

            page.goto(pages["login"])  # the login page first, empty, then logged in through it
            written.append(shot(page, out, "login", width))
            page.fill("input[name=username]", USER)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(f"{base}/")

            for name, path in pages.items():
                if name == "login":
                    continue
                page.goto(path)
                page.wait_for_load_state("networkidle")
                if name == "lineage-graph":
                    page.wait_for_selector("body[data-lineage-ready]", state="attached")
                    page.wait_for_timeout(500)  # the layout's last frame
                written.append(shot(page, out, name, width, full=name in FULL_PAGE))
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth")
                if overflow > 0:
                    print(f"  {name} at {width} px scrolls sideways by {overflow} px", flush=True)
            for problem in problems:
                print(f"  console at {width} px: {problem}", flush=True)
            context.close()
        browser.close()
    return written


def shot(page, out: Path, name: str, width: int, full: bool = False) -> Path:
    path = out / f"{name}-{width}.png"
    page.screenshot(path=str(path), full_page=full, animations="disabled")
    return path


if __name__ == "__main__":
    sys.exit(main())
