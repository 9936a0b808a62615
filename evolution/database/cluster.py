"""Programs that share a score signature, and how one of them is picked."""

import ast
from dataclasses import dataclass

import numpy as np

from evolution.headline import headline
from provenance import pysource

from .events import ProgramId, Signature


@dataclass(frozen=True)
class RegisteredProgram:
    """A candidate as registered in the database: its record id, signature and length, no source; its point
    under a Pareto objective (each axis's score, higher better) where the run has one."""

    program_id: ProgramId
    signature: Signature
    length: int
    point: Signature | None = None

    @property
    def score(self) -> float:
        return headline(self.signature)

    @property
    def key(self) -> tuple:
        """Its cluster's: the signature, and under a Pareto objective the point too."""
        return self.signature if self.point is None else (self.signature, self.point)

    @property
    def rank(self) -> tuple[float, ...]:
        """What `best` maximises: the score, or a point's axes in order (the front's first-axis end)."""
        return (self.score,) if self.point is None else self.point


def program_length(source: str) -> int:
    """Number of AST nodes, docstrings and load/store markers not counted.

    Formatting, comments, names and docstrings differ between GP output, LLM output and a person's file;
    counting nodes prefers the simpler rule whoever wrote it, where counting characters would not.
    Not Python: SyntaxError. Too large or too deep for the parser (only rules the sandbox ran are measured,
    so in practice none): one node a character, long so rarely sampled, and never the end of the run.
    """
    try:
        # ast.walk is iterative: depth is harmless here, only the parse itself needs guarding.
        tree = pysource.parse(source, max_depth=None)
    except pysource.Unreadable as refused:
        if refused.kind == refused.SYNTAX:
            raise
        return len(source)
    strings = [node for node in ast.walk(tree) if _is_string_statement(node)]
    skipped = {id(node) for string in strings for node in ast.walk(string)}
    return sum(
        1 for node in ast.walk(tree) if id(node) not in skipped and not isinstance(node, ast.expr_context)
    )


def _is_string_statement(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    )


def softmax(logits: np.ndarray, temperature: float) -> np.ndarray:
    z = np.asarray(logits, dtype=float) / temperature
    z = np.exp(z - z.max())
    return z / z.sum()


class Cluster:
    def __init__(self, signature: Signature, point: Signature | None = None) -> None:
        self.signature = signature
        self.point = point
        self.score = headline(signature)
        self.programs: list[RegisteredProgram] = []

    def add(self, program: RegisteredProgram) -> None:
        self.programs.append(program)

    def sample(self, rng: np.random.Generator) -> RegisteredProgram:
        """A program, shorter ones more likely (FunSearch's normalised-length softmax)."""
        lengths = np.array([program.length for program in self.programs], dtype=float)
        probabilities = softmax(-(lengths - lengths.min()) / (lengths.max() + 1e-6), 1.0)
        return self.programs[int(rng.choice(len(self.programs), p=probabilities))]
