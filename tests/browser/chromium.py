"""How Seedtrace launches Debian's Chromium headless here (browser tests and bench/pages.py alike)."""

import os

CHROMIUM = os.environ.get("SEEDTRACE_CHROMIUM", "/usr/bin/chromium")
# Without the networking flags Chromium tries hosts this machine cannot reach.
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
