"""Stop signals (Ctrl-C, SIGTERM): remembered as well as raised.

Python raises a signal's exception wherever the main thread happens to be, and the code it lands in does not
always let it through unchanged. numba's dispatcher turns it into a SystemError caused by it; a bare `except:`
in mpmath (under sympy's nsimplify) swallows it, leaving a state in which the next call fails an assertion;
an exception raised in a database driver's callback comes out as an OperationalError, which looks like an
outage to wait through. So the handler also remembers the stop: the controller looks at what was asked at
each turn of its loop and whenever it handles an error, and a worker in the same process records no score
computed while a stop was asked for (the job is scored again on resume).
"""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager


class Terminated(KeyboardInterrupt):
    """Asked to stop (SIGTERM): the run stops as on Ctrl-C, to be continued with `evolve --resume`."""


_asked: KeyboardInterrupt | None = None


def asked() -> KeyboardInterrupt | None:
    """The stop asked for by a signal while `remembered` was in force, or None."""
    return _asked


def check() -> None:
    """Raise the stop asked for, if any, wherever its own exception went."""
    if _asked is not None:
        raise type(_asked)(*_asked.args)


def behind(error: BaseException | None) -> KeyboardInterrupt | None:
    """The Ctrl-C or SIGTERM behind `error`: found in its chain of causes and contexts, else the stop asked
    for (which the code the signal landed in may have dropped from the chain), else None."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, KeyboardInterrupt):
            return error
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return _asked


@contextmanager
def remembered():
    """Ctrl-C and SIGTERM raise their exceptions as usual inside, and are remembered too. (Signal handlers
    belong to the main thread: elsewhere, nothing is installed.)"""
    global _asked
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(error: KeyboardInterrupt):
        def handler(signum, frame):
            global _asked
            _asked = error
            raise type(error)(*error.args)
        return handler

    _asked = None
    previous = {signal.SIGINT: signal.signal(signal.SIGINT, stop(KeyboardInterrupt())),
                signal.SIGTERM: signal.signal(signal.SIGTERM, stop(Terminated("stopped by SIGTERM")))}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        _asked = None
