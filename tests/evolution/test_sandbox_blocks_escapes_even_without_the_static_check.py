"""The process layer holds by itself. These rules reach the real `os` module through the classic
`().__class__.__base__.__subclasses__()` escape, so they run only through `Sandbox.run_unchecked` (the
static check refuses them); each must fail without effect, and the next rule must still work."""

import os
import socket

import pytest

from evolution.sandbox import Limits
from tests.evolution.rules import GOOD, TABLE, escape

LIMITS = Limits(cpu_seconds=1, wall_seconds=3, memory_bytes=64 * 2**20)


@pytest.fixture
def shared_dir(tmp_path):
    tmp_path.chmod(0o777)  # writable by anyone, so only the sandbox can be what stops a write
    return tmp_path


def assert_still_serving(sandbox):
    after = sandbox.run(GOOD, TABLE, fast_path=False)
    assert after.ok and after.selection.tolist() == [True, True, False, False]


def test_the_escape_itself_works_in_the_child(sandbox):
    outcome = sandbox.run_unchecked(escape("return g['getpid']() > 0"), TABLE, LIMITS)
    assert outcome.ok and outcome.selection.all()


@pytest.mark.parametrize(
    "body",
    [
        "g['fork']()",
        "g['posix_spawn']('/bin/true', ['true'], {})",
        "g['execv']('/bin/true', ['true'])",
        "g['kill'](g['getppid'](), 9)",
        "g['setuid'](0)",
        "sys.modules['resource'].setrlimit(sys.modules['resource'].RLIMIT_AS, (-1, -1))",
        "g['open']('/etc/hostname', g['O_RDONLY'])",
        "sys.modules['builtins'].__import__('socket')",
    ],
    ids=["fork", "spawn", "exec", "kill the zygote", "setuid", "raise a limit", "read a file", "import"],
)
def test_system_calls_fail_with_an_exception(sandbox, body):
    outcome = sandbox.run_unchecked(escape(body), TABLE, LIMITS)
    assert outcome.failure == "exception"
    assert any(
        e in outcome.reason
        for e in ("PermissionError", "BlockingIOError", "ModuleNotFoundError", "not allowed")
    )
    assert_still_serving(sandbox)


def test_a_shell_command_has_no_effect(sandbox, shared_dir):
    target = shared_dir / "pwned"
    sandbox.run_unchecked(escape(f"g['system']('touch {target}')"), TABLE, LIMITS)
    assert not target.exists()
    assert_still_serving(sandbox)


def test_no_file_is_written(sandbox, shared_dir):
    target = shared_dir / "written"
    outcome = sandbox.run_unchecked(
        escape(f"g['write'](g['open']('{target}', g['O_WRONLY'] | g['O_CREAT']), b'x')"), TABLE, LIMITS
    )
    assert outcome.failure == "exception"
    assert not target.exists()
    assert_still_serving(sandbox)


def test_no_socket_can_be_opened(sandbox):
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        server.settimeout(0.2)
        libc = "sys.modules['ctypes'].CDLL(None)"
        outcome = sandbox.run_unchecked(escape(f"return {libc}.socket(2, 1, 0) >= 0"), TABLE, LIMITS)
        assert outcome.ok and not outcome.selection.any()  # socket() returned -1 for every seed
        with pytest.raises(TimeoutError):
            server.accept()
    assert port and sandbox.layers()["seccomp"]
    assert_still_serving(sandbox)


def test_flooding_the_result_pipe_is_output_too_large(sandbox):
    outcome = sandbox.run_unchecked(escape("g['write'](3, b'x' * 200000)"), TABLE, LIMITS)
    assert outcome.failure == "output_too_large"
    assert outcome.reason.startswith("output_too_large: the rule's process sent more than")
    assert_still_serving(sandbox)


def test_a_forged_result_is_a_crash(sandbox):
    outcome = sandbox.run_unchecked(
        escape("g['write'](3, b'SBC1' + b'0' * 20); g['_exit'](0)"), TABLE, LIMITS
    )
    assert outcome.failure == "crash" and "malformed" in outcome.reason
    assert_still_serving(sandbox)


def test_printing_a_lot_goes_nowhere(sandbox):
    body = "g['write'](1, b'x' * 100000); g['write'](2, b'y' * 100000)"
    outcome = sandbox.run_unchecked(escape(body), TABLE, LIMITS)
    assert outcome.ok and outcome.selection.all()
    assert_still_serving(sandbox)


def test_a_segfault_is_a_crash(sandbox):
    outcome = sandbox.run_unchecked(escape("sys.modules['ctypes'].string_at(0)"), TABLE, LIMITS)
    assert outcome.failure == "crash" and "SIGSEGV" in outcome.reason
    assert_still_serving(sandbox)


def test_a_long_exception_message_is_cut(sandbox):
    outcome = sandbox.run_unchecked(
        "def keep(seed):\n    return [].index(list(range(100000)))\n", TABLE, LIMITS
    )
    assert outcome.failure == "exception" and "ValueError" in outcome.reason and len(outcome.reason) < 500


def test_the_child_runs_as_nobody_when_the_caller_is_root(sandbox):
    outcome = sandbox.run_unchecked(escape("return g['getuid']() == 65534"), TABLE, LIMITS)
    assert outcome.ok
    assert outcome.selection.all() == (os.geteuid() == 0)
