"""A long command's sign of life on stderr: what it is doing, which step it has reached and for how long,
every `every` seconds, until it is done (exports of a whole run take seconds to tens of seconds)."""

import threading
import time
from contextlib import contextmanager


class Ticker:
    """Writes "what… step" lines: in place on a terminal, a line each elsewhere."""

    def __init__(self, stream, what: str):
        self.stream, self.what = stream, what
        self.tty = getattr(stream, "isatty", lambda: False)()
        self.started = time.monotonic()
        self.step = ""
        self.lock = threading.Lock()  # the ticking thread and the step's caller write to one stream

    def say(self, step) -> None:
        """The work has reached `step` (anything that reads as text): said now, and with each tick."""
        self.step = str(step)
        self.write(f"{self.what}… {self.step}")

    def tick(self) -> None:
        seconds = f"{time.monotonic() - self.started:.0f} s"
        self.write(f"{self.what}… {self.step}, {seconds}" if self.step else f"{self.what}… {seconds}")

    def write(self, line: str, end: bool = False) -> None:
        with self.lock:
            # On a terminal: back to the line's start, the new text, the rest of the old one erased.
            self.stream.write(f"\r{line}\x1b[K" + ("\n" if end else "") if self.tty else f"{line}\n")
            self.stream.flush()


@contextmanager
def ticking(stream, what: str, every: float = 1.0):
    """Write "what…" now, "what… N s" every `every` seconds while the block runs (with the step reached,
    when the block says one through the Ticker it is given), and the time taken at the end."""
    ticker, done = Ticker(stream, what), threading.Event()
    ticker.write(f"{what}…")

    def tick():
        while not done.wait(every):
            ticker.tick()

    thread = threading.Thread(target=tick, daemon=True)
    thread.start()
    try:
        yield ticker
    finally:
        done.set()
        thread.join()
        ticker.write(f"{what}: {time.monotonic() - ticker.started:.1f} s", end=True)
