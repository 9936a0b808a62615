"""The caller's side: limits, outcomes, and the client of the zygote (one per caller process, lazily)."""

import atexit
import json
import os
import pickle
import select
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from . import policy, vector
from . import protocol as P
from .table import SeedTable

ZYGOTE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "zygote.py")
START_SECONDS = 30  # importing numpy on a loaded laptop
GRACE_SECONDS = 5  # the zygote's own work around a child: building a table, forking, reaping
# The zygote's whole environment: nothing of ours (LLM_API_KEY, DATABASE_URL, … would otherwise sit in its
# os.environ and in the memory behind /proc/<pid>/environ, which every child inherits). It is a fresh
# interpreter (`-I`: no PYTHON* variables, no user site), not a fork of this process, so no Django settings
# or other state of ours is in its memory either. It needs no variable: no PATH (it runs nothing), no thread
# counts (it never imports numpy).
ZYGOTE_ENV: dict[str, str] = {}


@dataclass(frozen=True)
class Limits:
    cpu_seconds: float = 5.0
    wall_seconds: float = 10.0
    memory_bytes: int = 512 * 2**20  # address space the rule may add to the zygote's own
    max_source_bytes: int = policy.MAX_SOURCE_BYTES
    max_nodes: int = policy.MAX_NODES
    recursion_limit: int = 500

    def __post_init__(self) -> None:
        for name in ("cpu_seconds", "wall_seconds", "memory_bytes", "max_source_bytes", "max_nodes"):
            if not getattr(self, name) > 0:
                raise ValueError(f"Limits.{name} must be positive, got {getattr(self, name)!r}")
        if self.recursion_limit < 50:
            raise ValueError("Limits.recursion_limit must be at least 50")

    def wire(self) -> dict:
        return {
            "cpu": float(self.cpu_seconds),
            "wall": float(self.wall_seconds),
            "memory": int(self.memory_bytes),
            "recursion": int(self.recursion_limit),
        }


@dataclass(frozen=True, eq=False)
class Outcome:
    ok: bool
    selection: np.ndarray | None  # bool[n_seeds] when ok
    failure: str | None  # refused, timeout, cpu_limit, memory, crash, exception, bad_return, output_too_large
    reason: str | None  # "<failure>: <a sentence>", for Evaluation.error
    seconds: float
    path: str = "process"  # "process" (the child) or "vector" (numpy fast path); "static" when refused

    @classmethod
    def failed(cls, failure: str, detail: str, seconds: float, path: str = "process") -> "Outcome":
        return cls(False, None, failure, f"{failure}: {detail}", seconds, path)


class SandboxError(RuntimeError):
    """The sandbox itself could not be started: a fault of the machine, not of the candidate."""


class Sandbox:
    """A client of one zygote. Thread-safe (one evaluation at a time); safe across fork (a forked caller
    starts its own zygote instead of sharing pipes)."""

    def __init__(self, grace_seconds: float = GRACE_SECONDS) -> None:
        self.grace_seconds = grace_seconds
        self._lock = threading.Lock()
        self._process: subprocess.Popen | None = None
        self._owner = -1
        self._tables: set[str] = set()
        self._layers: dict = {}
        # A fork while another thread held the lock would leave the child's copy locked forever.
        ref = weakref.ref(self)
        os.register_at_fork(after_in_child=lambda: (s := ref()) and s._reset_lock())

    def _reset_lock(self) -> None:
        self._lock = threading.Lock()

    def run(
        self, source: str, table: SeedTable, limits: Limits = Limits(), *, fast_path: bool = True
    ) -> Outcome:
        """Check statically, then evaluate `keep` on every seed (numpy fast path when the rule allows it)."""
        started = time.perf_counter()
        try:
            tree = policy.check(source, table.attributes, limits.max_source_bytes, limits.max_nodes)
        except policy.Refused as refusal:
            return Outcome.failed("refused", str(refusal), time.perf_counter() - started, "static")
        expression = vector.compile_rule(tree, table) if fast_path else None
        if expression is not None:
            selection = vector.evaluate(expression, table)
            return Outcome(True, selection, None, None, time.perf_counter() - started, "vector")
        return self.run_unchecked(source, table, limits, started)

    def run_unchecked(
        self, source: str, table: SeedTable, limits: Limits = Limits(), started=None
    ) -> Outcome:
        """The child process alone, without the static check. Tests use it to show that the dynamic layer
        holds by itself; never give it source that `check` has not passed."""
        started = time.perf_counter() if started is None else started
        request = {"digest": table.digest, "source": source, "limits": limits.wire()}
        with self._lock:
            self._ensure_started()
            if table.digest not in self._tables:
                request["table"] = table.payload()
            reply = self._ask(request, limits.wall_seconds + self.grace_seconds + table.n / 100_000)
            if reply[0] == P.NEED_TABLE:  # the zygote evicted it
                request["table"] = table.payload()
                reply = self._ask(request, limits.wall_seconds + self.grace_seconds + table.n / 100_000)
            if "table" in request and reply[0] != P.NEED_TABLE:
                self._tables.add(table.digest)
        status, n, mask, text = reply
        seconds = time.perf_counter() - started
        if status == P.OK:
            if n != table.n or len(mask) != P.mask_bytes(table.n):
                return Outcome.failed("crash", "the sandbox sent a result of the wrong size", seconds)
            bits = np.unpackbits(np.frombuffer(mask, dtype=np.uint8), count=table.n, bitorder="little")
            return Outcome(True, bits.astype(bool), None, None, seconds)
        return Outcome.failed(P.FAILURES.get(status, "crash"), text or "the sandbox failed", seconds)

    def layers(self) -> dict:
        """Which confinement layers work here, as the zygote probed them: seccomp, root, drops_root."""
        with self._lock:
            self._ensure_started()
            return dict(self._layers)

    def close(self) -> None:
        with self._lock:
            self._stop()

    # --------------------------------------------------------------------------------------------- zygote

    def _ensure_started(self) -> None:
        if self._process is not None and self._owner == os.getpid() and self._process.poll() is None:
            return
        self._stop()
        self._process = subprocess.Popen(
            [sys.executable, "-I", ZYGOTE], stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=ZYGOTE_ENV
        )
        self._owner = os.getpid()
        self._tables = set()
        hello = self._read_reply(START_SECONDS)
        if hello is None or hello[0] != P.HELLO:
            self._stop()
            raise SandboxError("the sandbox's zygote process did not start")
        self._layers = json.loads(hello[3] or "{}")

    def _stop(self) -> None:
        process, self._process = self._process, None
        if process is None:
            return
        if self._owner != os.getpid():  # inherited through fork: the zygote belongs to our parent
            for pipe in (process.stdin, process.stdout):
                pipe.close()
            return
        process.kill()
        process.wait()
        for pipe in (process.stdin, process.stdout):
            pipe.close()

    def _ask(self, request: dict, timeout: float) -> tuple[int, int, bytes, str]:
        body = pickle.dumps(request, protocol=pickle.HIGHEST_PROTOCOL)
        try:
            self._process.stdin.write(P.REQUEST.pack(len(body)) + body)
            self._process.stdin.flush()
        except (BrokenPipeError, OSError):
            reply = None
        else:
            reply = self._read_reply(timeout)
        if reply is None:  # no answer or nonsense: the zygote is not to be trusted again
            self._stop()
            return P.CRASH, 0, b"", "the sandbox's zygote died or stopped answering during the evaluation"
        return reply

    def _read_reply(self, timeout: float) -> tuple[int, int, bytes, str] | None:
        deadline = time.monotonic() + timeout
        fd = self._process.stdout.fileno()
        header = _read(fd, P.REPLY.size, deadline)
        if header is None:
            return None
        magic, status, _seconds, n, mask_size, text_size = P.REPLY.unpack(header)
        expected_mask = P.mask_bytes(n) if status == P.OK else 0
        if magic != P.REPLY_MAGIC or mask_size != expected_mask or text_size > P.MAX_TEXT:
            return None
        body = _read(fd, mask_size + text_size, deadline)
        if body is None:
            return None
        return status, n, body[:mask_size], P.clean_text(body[mask_size:])


def _read(fd: int, size: int, deadline: float) -> bytes | None:
    chunks, left = [], size
    while left:
        wait = deadline - time.monotonic()
        if wait <= 0 or not select.select([fd], [], [], wait)[0]:
            return None
        chunk = os.read(fd, left)
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


_default = Sandbox()
atexit.register(_default.close)


def run(source: str, table: SeedTable, limits: Limits = Limits(), *, fast_path: bool = True) -> Outcome:
    """Evaluate a rule on a prepared table in this process's shared sandbox."""
    return _default.run(source, table, limits, fast_path=fast_path)


def run_rule(
    source: str,
    features: np.ndarray,
    names: tuple[str, ...],
    context: Mapping[str, int],
    limits: Limits = Limits(),
    *,
    indices: np.ndarray | None = None,
    fast_path: bool = True,
) -> Outcome:
    """One-off form of `run`: builds a SeedTable (and its digest) per call; keep one per problem instead."""
    return run(source, SeedTable(features, names, context, indices), limits, fast_path=fast_path)


def check(source: str, attributes=policy.SEED_ATTRIBUTES, limits: Limits = Limits()) -> None:
    """Raise Refused (with the line and the construct) if the source breaks the static policy."""
    policy.check(source, attributes, limits.max_source_bytes, limits.max_nodes)
