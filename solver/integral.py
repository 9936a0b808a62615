"""Integrals as index vectors: their features (t, r, s, d, sector) and the Laporta order.

Laporta order, most complex first: more lines t, then larger r (sum of positive indices), then larger s
(numerator rank), then — the fixed tie-break — larger sector bitmask, then the index vector compared
lexicographically from the first propagator, larger first. Everything here works on arrays of integrals
(one integral per row) so that a system with 10^5 integrals is ordered in one numpy call.
"""

from __future__ import annotations

import numpy as np

ORDER = "t desc, r desc, s desc, sector mask desc, indices lexicographic desc (column 0 = most complex)"


def features(integrals: np.ndarray) -> dict[str, np.ndarray]:
    """t, r, s, d and sector of each row of an (n, N) integer array."""
    a = np.asarray(integrals, dtype=np.int64)
    lines = a > 0
    t = lines.sum(axis=1)
    r = np.where(lines, a, 0).sum(axis=1)
    s = -np.where(a < 0, a, 0).sum(axis=1)
    sector = (lines.astype(np.int64) << np.arange(a.shape[1], dtype=np.int64)).sum(axis=1)
    return {"t": t, "r": r, "s": s, "d": r - t, "sector": sector}


def laporta_order(integrals: np.ndarray) -> np.ndarray:
    """Permutation that sorts the rows most complex first (see ORDER)."""
    a = np.asarray(integrals, dtype=np.int64)
    keys = IntegralKeys(a.shape[1])
    f = features(a)
    # One int64 for (t, r, s, sector), most significant first; packed keys compare like the index vectors.
    n = a.shape[1]
    coarse = ((f["t"] * 1024 + f["r"]) * 1024 + f["s"]) << n | f["sector"]
    fine = keys.pack(a) if keys.fits(a) else None
    if fine is None:  # indices beyond the packing range: compare column by column
        columns = [-a[:, j] for j in range(n - 1, -1, -1)]
        return np.lexsort([*columns, -coarse])
    return np.lexsort((-fine, -coarse))


class IntegralKeys:
    """Packs index vectors into int64 keys (and back) so that np.unique can number integrals fast."""

    def __init__(self, n: int, low: int = -32, bits: int = 6):
        if n * bits > 63:
            bits = 63 // n
            low = -(1 << (bits - 1))
        self.n, self.low, self.bits = n, low, bits
        self.high = low + (1 << bits) - 1

    def fits(self, integrals: np.ndarray) -> bool:
        return integrals.size == 0 or (integrals.min() >= self.low and integrals.max() <= self.high)

    def _shifts(self) -> np.ndarray:
        # The first propagator is the most significant digit, so keys sort like the index vectors.
        return self.bits * np.arange(self.n - 1, -1, -1, dtype=np.int64)

    def pack(self, integrals: np.ndarray) -> np.ndarray:
        shifted = np.asarray(integrals, dtype=np.int64) - self.low
        return (shifted << self._shifts()).sum(axis=-1)

    def unpack(self, keys: np.ndarray) -> np.ndarray:
        mask = (1 << self.bits) - 1
        return ((keys[:, None] >> self._shifts()[None, :]) & mask) + self.low
