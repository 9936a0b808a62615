"""A sub-population: clusters keyed by signature, chosen by a Boltzmann draw with a decaying temperature."""

import math

import numpy as np

from evolution.front import Front

from .cluster import Cluster, RegisteredProgram, softmax
from .config import DatabaseConfig
from .events import ProgramId, Signature


class Island:
    def __init__(self, config: DatabaseConfig) -> None:
        self._config = config
        self.clusters: dict[Signature, Cluster] = {}
        self.num_programs = 0  # ever registered here, the n of the temperature schedule
        self.best: RegisteredProgram | None = None
        self._ids: set[ProgramId] = set()
        self._logits_made: np.ndarray | None = None  # the clusters' logits, until the next registration
        self._front = Front()  # under a Pareto objective: the points no cluster here dominates, as they come

    def __contains__(self, program_id: ProgramId) -> bool:
        return program_id in self._ids

    @property
    def best_score(self) -> float:
        return self.best.score if self.best else -math.inf

    @property
    def best_rank(self) -> tuple[float, ...]:
        return self.best.rank if self.best else (-math.inf,)

    @property
    def temperature(self) -> float:
        period = self._config.temperature_period
        return self._config.temperature_init * (1 - (self.num_programs % period) / period)

    def register(self, program: RegisteredProgram) -> None:
        if program.key not in self.clusters:
            self.clusters[program.key] = Cluster(program.signature, program.point)
            self._logits_made = None
            if program.point is not None:
                self._front.add(program.point)
        self.clusters[program.key].add(program)
        self._ids.add(program.program_id)
        self.num_programs += 1
        # Strictly better only: of equal scores the first one found stays the island's best.
        if program.rank > self.best_rank:
            self.best = program

    def cluster_probabilities(self) -> np.ndarray:
        """Probability of each cluster (in insertion order) for the first pick."""
        return softmax(self._logits(), self.temperature)

    def sample(self, rng: np.random.Generator, k: int) -> list[RegisteredProgram]:
        """One program from each of min(k, clusters) distinct clusters, ascending by score."""
        clusters = list(self.clusters.values())
        logits = self._logits()
        chosen: list[Cluster] = []
        # Without replacement, one pick at a time: renormalising over the clusters left keeps the draw
        # valid even when the temperature is so low that most probabilities underflow to zero.
        for _ in range(min(k, len(clusters))):
            index = int(rng.choice(len(clusters), p=softmax(logits, self.temperature)))
            chosen.append(clusters.pop(index))
            logits = np.delete(logits, index)
        programs = [cluster.sample(rng) for cluster in chosen]
        return sorted(programs, key=lambda program: program.score)

    def _logits(self) -> np.ndarray:
        if self._logits_made is None:
            self._logits_made = self._make_logits()
        return self._logits_made

    def _make_logits(self) -> np.ndarray:
        clusters = list(self.clusters.values())
        if clusters and all(cluster.point is not None for cluster in clusters):  # a Pareto objective's
            points = np.array([cluster.point for cluster in clusters], dtype=float)
            return -front_shortfall(points, np.array(self._front.points, dtype=float))
        scores = np.array([cluster.score for cluster in clusters], dtype=float)
        mode = self._config.normalisation
        if scores.size == 0:
            return scores
        if mode == "relative":
            # Shortfall from the island's best as a fraction of it: 92 seeds against a best of 88 is -0.045
            # whatever else is on the island, so a penalised outlier cannot flatten the choice at the top.
            best = scores.max()
            return (scores - best) / max(abs(best), 1.0)
        if mode == "range":
            spread = scores.max() - scores.min()
            return (scores - scores.min()) / spread if spread > 0 else np.zeros_like(scores)
        return scores

    def snapshot(self) -> dict:
        return {
            "num_programs": self.num_programs,
            "best": self.best.program_id if self.best else None,
            "clusters": [
                [list(cluster.signature), [[p.program_id, p.length] for p in cluster.programs]]
                + ([] if cluster.point is None else [list(cluster.point)])
                for cluster in self.clusters.values()
            ],
        }


def front_shortfall(points: np.ndarray, front: np.ndarray | None = None) -> np.ndarray:
    """For each point (a row of axes, higher better), how far it is from the front of them all (`front`,
    when the caller keeps it): the least ε such that improving it by ε of some front point's magnitude on
    every axis reaches that point (the additive ε-indicator, relative). Front points are 0; with one axis it
    is the "relative" shortfall from the best, so a point 10 % worse than the front is e times less likely
    at T = 0.1, as there. One front point at a time: memory stays that of the points."""
    front = points[front_of(points)] if front is None else front
    nearest = np.full(len(points), np.inf)
    for f in front:
        np.minimum(nearest, ((f - points) / np.maximum(np.abs(f), 1.0)).max(axis=1), out=nearest)
    return np.maximum(nearest, 0.0)


def front_of(points: np.ndarray) -> np.ndarray:
    """Indices of the points no other point dominates (as good on every axis, better on one); points that
    are equal are all on it. Lexicographically best first, so each point is checked against the front so
    far only: whatever dominates a point comes before it, and the front dominates whatever does."""
    if points.ndim == 2 and points.shape[1] == 2 and len(points):
        return _front_of_pairs(points)
    order = sorted(range(len(points)), key=lambda i: tuple(points[i]), reverse=True)
    front: list[int] = []
    for i in order:
        if front:
            ahead = points[front]
            if np.any(np.all(ahead >= points[i], axis=1) & np.any(ahead > points[i], axis=1)):
                continue
        front.append(i)
    return np.array(front, dtype=int)


def _front_of_pairs(points: np.ndarray) -> np.ndarray:
    """front_of for two axes in one sorted sweep (a run's page draws ~10,000 points: the general loop took
    ~100 ms there, this ~2 ms). Best first on the first axis, then the second: a point is dominated exactly
    when some point before its group of equal points is at least as good on the second axis."""
    order = np.lexsort((-points[:, 1], -points[:, 0]))  # stable: equal points keep their order
    ranked = points[order]
    starts = np.ones(len(ranked), dtype=bool)  # where a group of equal points starts
    starts[1:] = np.any(ranked[1:] != ranked[:-1], axis=1)
    best_before = np.empty(len(ranked))  # the best second axis of every point ahead
    best_before[0] = -np.inf
    best_before[1:] = np.maximum.accumulate(ranked[:-1, 1])
    group = np.maximum.accumulate(np.where(starts, np.arange(len(ranked)), 0))
    return order[ranked[:, 1] > best_before[group]]
