"""Measure what the sandbox costs per evaluation: `python -m evolution.sandbox.overhead`.

For each pool size it times the Laporta rule three ways: the bare Python loop over prebuilt seeds (what any
evaluation must pay), the sandboxed child (the loop plus fork, confinement, pipe, reaping), and the numpy
fast path. Overhead = child − bare loop.
"""

import collections
import statistics
import time

import numpy as np

from .runner import Limits, Sandbox
from .table import SeedTable

LAPORTA = "def keep(seed):\n    return seed.r <= 6 and seed.s <= 3\n"
NAMES = ("t", "r", "s", "d", "sector")


def _median_ms(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1e3


def measure(sizes=(100, 30_000), repeats: int = 40) -> list[dict]:
    sandbox, rows = Sandbox(), []
    rng = np.random.default_rng(0)
    try:
        for n in sizes:
            features = rng.integers(0, 9, size=(n, len(NAMES)))
            table = SeedTable(features, NAMES, {"t_top": 6, "r_top": 7, "s_top": 2})
            seed = collections.namedtuple("Seed", NAMES + ("t_top", "r_top", "s_top", "indices"))
            seeds = [seed(*row, 6, 7, 2, ()) for row in features.tolist()]
            namespace: dict = {}
            exec(LAPORTA, namespace)  # noqa: S102 - our own constant rule, for the baseline
            keep = namespace["keep"]
            sandbox.run(LAPORTA, table, Limits(), fast_path=False)  # warm: zygote started, table sent
            sandbox.run(LAPORTA, table)
            loop = _median_ms(lambda: [keep(s) for s in seeds], repeats)  # noqa: B023
            child = _median_ms(lambda: sandbox.run(LAPORTA, table, fast_path=False), repeats)  # noqa: B023
            vector = _median_ms(lambda: sandbox.run(LAPORTA, table), repeats)  # noqa: B023
            rows.append(
                {
                    "seeds": n,
                    "loop_ms": loop,
                    "child_ms": child,
                    "overhead_ms": child - loop,
                    "vector_ms": vector,
                }
            )
    finally:
        sandbox.close()
    return rows


def main() -> None:
    print(f"{'seeds':>7} {'bare loop':>10} {'child':>8} {'overhead':>9} {'numpy path':>11}   (median ms)")
    for row in measure():
        print(
            f"{row['seeds']:>7} {row['loop_ms']:>10.2f} {row['child_ms']:>8.2f} {row['overhead_ms']:>9.2f}"
            f" {row['vector_ms']:>11.3f}"
        )


if __name__ == "__main__":
    main()
