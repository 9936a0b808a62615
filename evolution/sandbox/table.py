"""A seed pool as the sandbox sees it: a frozen int matrix of named features plus the problem's context."""

import hashlib
from collections.abc import Mapping

import numpy as np

CONTEXT = ("t_top", "r_top", "s_top")


class SeedTable:
    """Build once per problem and reuse for every candidate: the digest is computed here, so the zygote
    receives the seeds once and keeps them; the fast path's unique rows are cached here too."""

    def __init__(
        self,
        features: np.ndarray,
        names: tuple[str, ...],
        context: Mapping[str, int],
        indices: np.ndarray | None = None,
    ) -> None:
        features = np.asarray(features)
        if features.ndim != 2 or features.shape[1] != len(names):
            raise ValueError(
                f"features must be n_seeds x {len(names)} (one column per name), got {features.shape}"
            )
        if features.size and not np.issubdtype(features.dtype, np.integer):
            raise ValueError(f"features must be integers, got {features.dtype}")
        fields = tuple(names) + tuple(context) + ("indices",)
        bad = [f for f in fields if not f.isidentifier() or f.startswith("_")]
        if bad or len(set(fields)) != len(fields):
            raise ValueError(f"feature and context names must be distinct public identifiers: {fields}")
        if indices is not None:
            indices = np.asarray(indices)
            if (
                indices.ndim != 2
                or len(indices) != len(features)
                or not np.issubdtype(indices.dtype, np.integer)
            ):
                raise ValueError("indices must be an int array with one row per seed")
            indices = _frozen(indices)
        self.features = _frozen(features.astype(np.int64, copy=False))
        self.names = tuple(names)
        self.context = {k: int(v) for k, v in context.items()}
        self.indices = indices
        self.n = len(features)
        self.attributes = frozenset(fields)
        digest = hashlib.blake2b(digest_size=16)
        digest.update(repr((self.features.shape, self.names, sorted(self.context.items()))).encode())
        digest.update(self.features.tobytes())
        if indices is not None:
            digest.update(repr(indices.shape).encode() + indices.astype(np.int64).tobytes())
        self.digest = digest.hexdigest()
        self._unique: tuple[np.ndarray, np.ndarray] | None = None

    def unique(self) -> tuple[np.ndarray, np.ndarray]:
        """(distinct feature rows, index of each seed's row): the fast path evaluates each row once."""
        if self._unique is None:
            rows, inverse = np.unique(self.features, axis=0, return_inverse=True)
            self._unique = (rows, inverse.reshape(-1))
        return self._unique

    def largest(self) -> int:
        values = [abs(v) for v in self.context.values()]
        if self.n:
            values.append(int(np.abs(self.features).max()) if self.features.size else 0)
        return max(values, default=0)

    def payload(self) -> dict:
        indices = self.indices.tolist() if self.indices is not None else None
        return {
            "features": self.features.tolist(),
            "names": self.names,
            "context": self.context,
            "indices": indices,
        }


def _frozen(array: np.ndarray) -> np.ndarray:
    array = np.array(array, copy=True)
    array.flags.writeable = False
    return array
