"""Run DEAP's operators on a caller's `random.Random` instead of the global `random` module.

DEAP draws every random number from the module-level `random` functions. Inside `deap_random(rng)` the global
generator carries `rng`'s state; on exit `rng` takes the advanced state back and the global generator gets its
own state back. So a run is reproducible from its seed, and code outside the block sees no difference.
The lock serialises users of this helper in one process; a thread that calls `random.*` directly while a block
is open would still interleave with it (Celery's prefork workers are processes, so nothing does).
"""

import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.RLock()


@contextmanager
def deap_random(rng: random.Random) -> Iterator[None]:
    with _lock:
        saved = random.getstate()
        random.setstate(rng.getstate())
        try:
            yield
        finally:
            rng.setstate(random.getstate())
            random.setstate(saved)
