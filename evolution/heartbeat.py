"""Heartbeats: how a worker shows that it still holds its claim on a job, and a controller its lease on a run.

While one works, a thread writes the time on its row every SEEDTRACE_HEARTBEAT seconds. A row silent for
MISSED_BEATS heartbeats belongs to a process that died (killed, its machine gone, its database connection
lost) and may be taken over. The thread has its own database connection, opened at its first beat (work
shorter than one heartbeat never opens one) and closed when it stops.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import connection

log = logging.getLogger(__name__)
MISSED_BEATS = 3


def every() -> float:
    """Seconds between heartbeats."""
    return float(settings.SEEDTRACE_HEARTBEAT)


def silence() -> timedelta:
    """How long a heartbeat may be missing before its owner is taken for dead."""
    return timedelta(seconds=MISSED_BEATS * every())


class Heartbeat:
    """Calls `beat()` every `every()` seconds on a daemon thread until stopped. `beat` returns False once
    what it beats for is gone (the claim taken over, the lease taken): the thread then stops with `lost` set.
    A beat that fails (the database away for a moment) is logged and tried again at the next one."""

    def __init__(self, beat: Callable[[], bool], name: str, seconds: float | None = None):
        self.beat, self.name = beat, name
        self.seconds = every() if seconds is None else seconds
        self.lost = False
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> Heartbeat:
        self._thread.start()
        return self

    def stop(self, wait: float = 5.0) -> None:
        self._stopping.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(wait)

    def __enter__(self) -> Heartbeat:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def _run(self) -> None:
        try:
            while not self._stopping.wait(self.seconds):
                try:
                    held = self.beat()
                except Exception:
                    log.warning("%s: a heartbeat failed; trying again in %g s", self.name, self.seconds,
                                exc_info=True)
                    close_connection()  # a broken connection is opened afresh at the next beat
                    continue
                if not held:
                    self.lost = True
                    return
        finally:
            close_connection()


def close_connection() -> None:
    """Close this thread's database connection, whatever state it is in."""
    try:
        connection.close()
    except Exception:  # already broken: Django has dropped it, or will open a new one next time
        log.debug("closing a broken database connection", exc_info=True)
