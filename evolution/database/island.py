"""A sub-population: clusters keyed by signature, chosen by a Boltzmann draw with a decaying temperature."""

import math

import numpy as np

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

    def __contains__(self, program_id: ProgramId) -> bool:
        return program_id in self._ids

    @property
    def best_score(self) -> float:
        return self.best.score if self.best else -math.inf

    @property
    def temperature(self) -> float:
        period = self._config.temperature_period
        return self._config.temperature_init * (1 - (self.num_programs % period) / period)

    def register(self, program: RegisteredProgram) -> None:
        if program.signature not in self.clusters:
            self.clusters[program.signature] = Cluster(program.signature)
        self.clusters[program.signature].add(program)
        self._ids.add(program.program_id)
        self.num_programs += 1
        # Strictly better only: of equal scores the first one found stays the island's best.
        if program.score > self.best_score:
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
        scores = np.array([cluster.score for cluster in self.clusters.values()], dtype=float)
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
                [list(signature), [[p.program_id, p.length] for p in cluster.programs]]
                for signature, cluster in self.clusters.items()
            ],
        }
