"""A long command's sign of life on stderr: what it is doing and for how long, every `every` seconds,
until it is done (exports of a whole run take seconds to tens of seconds and report nothing on the way)."""

import threading
import time
from contextlib import contextmanager


@contextmanager
def ticking(stream, what: str, every: float = 1.0):
    """Write "what…" now, "what… N s" every `every` seconds while the block runs (in place on a terminal,
    a line each elsewhere), and the time taken at the end."""
    tty = getattr(stream, "isatty", lambda: False)()
    started, done = time.monotonic(), threading.Event()
    stream.write(f"{what}…" + ("" if tty else "\n"))
    stream.flush()

    def tick():
        while not done.wait(every):
            line = f"{what}… {time.monotonic() - started:.0f} s"
            stream.write(f"\r{line}" if tty else f"{line}\n")
            stream.flush()

    thread = threading.Thread(target=tick, daemon=True)
    thread.start()
    try:
        yield
    finally:
        done.set()
        thread.join()
        stream.write(f"{chr(13) if tty else ''}{what}: {time.monotonic() - started:.1f} s\n")
        stream.flush()
