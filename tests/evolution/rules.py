"""Rule sources and a small seed table shared by the sandbox and GP tests.

`escape(body)` is a rule that reaches the real `os` module through the classic
`().__class__.__base__.__subclasses__()` escape: in `body`, `g` is that module's globals and `sys` the real
sys module. The static check refuses such rules, so they run only through `Sandbox.run_unchecked`.
"""

import numpy as np

from evolution.sandbox import SeedTable

TABLE = SeedTable(np.arange(8).reshape(4, 2), ("r", "s"), {})  # four seeds: r = 0, 2, 4, 6
GOOD = "def keep(seed):\n    return seed.r < 4\n"  # on TABLE: [True, True, False, False]

ESCAPE = """
def keep(seed):
    for c in ().__class__.__base__.__subclasses__():
        if c.__name__ == '_wrap_close':
            g = c.__init__.__globals__
            sys = g['sys']
"""


def slow_kira3(loops: int) -> str:
    """Kira-3 behind a bounded loop: inside the sandbox's limits, but about a second per 300 loops on rank3's
    50k seeds, long enough to kill a worker in the middle of it."""
    return (f"def keep(seed):\n    k = 0\n    for i in range({loops}):\n        k = k + i\n"
            "    return k > 0 and seed.d == 0 and seed.s <= seed.s_top - (seed.t_top - seed.t)\n")


def indented(body: str, depth: int) -> str:
    return "".join(f"{' ' * depth}{line}\n" for line in body.splitlines())


def keep(body: str) -> str:
    """def keep(seed) running `body` (one or more lines)."""
    return "def keep(seed):\n" + indented(body, 4)


def escape(body: str) -> str:
    """A rule that runs `body` with `g` and `sys` bound and returns True if `body` does not return."""
    return ESCAPE + indented(body, 12) + "    return True\n"
