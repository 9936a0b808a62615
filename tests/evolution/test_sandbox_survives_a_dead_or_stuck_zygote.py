"""The caller never depends on one zygote: a dead one is replaced, a stuck one is killed and replaced, and
an evaluation in flight when that happens is reported as a crash."""

import contextlib
import os
import signal
import threading
import time

import numpy as np

from evolution.sandbox import Limits, Sandbox, SeedTable
from tests.evolution.rules import GOOD, keep

TABLE = SeedTable(np.arange(10).reshape(5, 2), ("r", "s"), {})
LOOP = keep("while True:\n    pass")


@contextlib.contextmanager
def started(**options):
    """A sandbox of its own (the tests kill its zygote) that has answered once, with its zygote's pid."""
    sandbox = Sandbox(**options)
    try:
        assert sandbox.run(GOOD, TABLE, fast_path=False).ok
        yield sandbox, sandbox._process.pid
    finally:
        sandbox.close()


def test_a_killed_zygote_is_replaced_before_the_next_evaluation():
    with started() as (sandbox, first):
        os.kill(first, signal.SIGKILL)
        time.sleep(0.05)
        outcome = sandbox.run(GOOD, TABLE, fast_path=False)
        assert outcome.ok and outcome.selection.tolist() == [True, True, False, False, False]
        assert sandbox._process.pid != first


def test_a_zygote_killed_mid_evaluation_is_a_crash_and_the_next_one_works():
    with started() as (sandbox, first):
        threading.Timer(0.3, os.kill, (first, signal.SIGKILL)).start()
        outcome = sandbox.run(LOOP, TABLE, Limits(cpu_seconds=5, wall_seconds=5))
        assert outcome.failure == "crash" and "zygote died" in outcome.reason
        assert outcome.seconds < 2
        assert sandbox.run(GOOD, TABLE, fast_path=False).ok


def test_a_stuck_zygote_is_abandoned_after_the_wall_clock_and_a_grace():
    with started(grace_seconds=0.3) as (sandbox, first):
        os.kill(first, signal.SIGSTOP)
        outcome = sandbox.run(GOOD, TABLE, Limits(wall_seconds=0.2), fast_path=False)
        assert outcome.failure == "crash" and "stopped answering" in outcome.reason
        assert 0.4 < outcome.seconds < 2
        assert sandbox.run(GOOD, TABLE, fast_path=False).ok and sandbox._process.pid != first


def test_a_forked_caller_starts_its_own_zygote():
    with started() as (sandbox, first):
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # a Celery prefork child, say
            try:
                ok = sandbox.run(GOOD, TABLE, fast_path=False).ok and sandbox._process.pid != first
                os.write(write, b"1" if ok else b"0")
            finally:
                os._exit(0)
        os.close(write)
        assert os.read(read, 1) == b"1"
        os.waitpid(pid, 0)
        os.close(read)
        assert sandbox.run(GOOD, TABLE, fast_path=False).ok and sandbox._process.pid == first


def test_many_tables_and_many_evaluations_share_one_zygote():
    with started() as (sandbox, first):
        for n in range(1, 12):  # more tables than the zygote keeps: evicted ones are sent again
            table = SeedTable(np.arange(2 * n).reshape(n, 2), ("r", "s"), {})
            assert sandbox.run(GOOD, table, fast_path=False).selection.sum() == min(n, 2)
            assert sandbox.run(GOOD, TABLE, fast_path=False).ok
        assert sandbox._process.pid == first
