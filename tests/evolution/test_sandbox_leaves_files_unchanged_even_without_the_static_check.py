"""No rule changes a file, even one that gets past the static check and reaches the real `os` module: times,
extended attributes, mode, owner, size, name and directory entries all stay as they were. The file is the
child's own (owned by nobody when we are root, whom the child becomes), so only the syscall filter stops it.
"""

import os
import pathlib
import platform
import shutil
import tempfile

import pytest

from evolution.sandbox.seccomp_filter import TABLES
from tests.evolution.rules import TABLE, escape

NOBODY = 65534
LIBC = "ctypes = sys.modules['ctypes']\nlibc = ctypes.CDLL(None, use_errno=True)\n"  # for the bodies below
# Every call that changes a file or a directory entry without going through open(): each must be denied.
FILE_CHANGES = {
    "x86_64": (
        "utime", "utimes", "futimesat", "utimensat", "setxattr", "lsetxattr", "fsetxattr", "removexattr",
        "lremovexattr", "fremovexattr", "setxattrat", "removexattrat", "file_setattr", "chmod", "fchmod",
        "fchmodat", "fchmodat2", "chown", "fchown", "lchown", "fchownat", "truncate", "ftruncate",
        "fallocate", "rename", "renameat", "renameat2", "link", "linkat", "unlink", "unlinkat", "symlink",
        "symlinkat", "mkdir", "mkdirat", "rmdir", "mknod", "mknodat", "open", "openat", "openat2", "creat",
    ),
    "aarch64": (
        "utimensat", "setxattr", "lsetxattr", "fsetxattr", "removexattr", "lremovexattr", "fremovexattr",
        "setxattrat", "removexattrat", "file_setattr", "fchmod", "fchmodat", "fchmodat2", "fchown",
        "fchownat", "truncate", "ftruncate", "fallocate", "renameat", "renameat2", "linkat", "unlinkat",
        "symlinkat", "mkdirat", "mknodat", "openat", "openat2",
    ),
}


@pytest.fixture(scope="module")
def sandbox(sandbox):
    if not sandbox.layers()["seccomp"]:
        pytest.skip("no seccomp filter on this machine")
    return sandbox


@pytest.fixture
def victim(sandbox):
    """A file the child could change if nothing stopped it: its own, in a directory of its own that it can
    reach (pytest's tmp_path lies under a directory only root may enter, which would stop it first)."""
    directory = pathlib.Path(tempfile.mkdtemp(prefix="seedtrace-victim-"))
    path = directory / "victim"
    path.write_bytes(b"unchanged")
    os.utime(path, ns=(10**18, 10**18))
    try:
        os.setxattr(path, "user.kept", b"1")
    except OSError:  # a file system without user xattrs: the xattr probes would prove nothing
        shutil.rmtree(directory)
        pytest.skip("no user extended attributes here")
    path.chmod(0o644)
    directory.chmod(0o777)
    if os.geteuid() == 0:
        os.chown(path, NOBODY, NOBODY)
        os.chown(directory, NOBODY, NOBODY)
    reach = run(sandbox, f"return g['stat']({str(path)!r}).st_size == 9")
    assert reach.ok and reach.selection.all(), "the child cannot reach the file: the test would prove nothing"
    yield path
    shutil.rmtree(directory)


def state(path):
    info = os.stat(path)
    entries = sorted(os.listdir(path.parent))
    return info.st_mtime_ns, info.st_mode, info.st_uid, info.st_size, os.listxattr(path), entries


def run(sandbox, body: str):
    return sandbox.run_unchecked(escape(LIBC + body), TABLE)


@pytest.mark.parametrize(
    "call",
    [
        "g['utime']({p!r}, (1, 1))",
        "g['utime']({p!r})",
        "g['setxattr']({p!r}, 'user.pwned', b'1')",
        "g['removexattr']({p!r}, 'user.kept')",
        "g['chmod']({p!r}, 0o777)",
        "g['chown']({p!r}, 0, 0)",
        "g['truncate']({p!r}, 0)",
        "g['rename']({p!r}, {p!r} + '.moved')",
        "g['link']({p!r}, {p!r} + '.link')",
        "g['symlink']({p!r}, {p!r} + '.symlink')",
        "g['unlink']({p!r})",
        "g['mkdir']({p!r} + '.dir')",
        "g['mkfifo']({p!r} + '.fifo')",
    ],
    ids=lambda call: call.split("'")[1],
)
def test_os_calls_that_change_a_file_fail_and_change_nothing(sandbox, victim, call):
    before = state(victim)
    outcome = run(sandbox, call.format(p=str(victim)))
    assert outcome.failure == "exception" and "PermissionError: [Errno 1]" in outcome.reason, outcome
    assert state(victim) == before


def test_legacy_time_calls_through_libc_change_nothing(sandbox, victim):
    before = state(victim)
    body = (
        f"path = {str(victim).encode()!r}\n"
        "results = [libc.utimes(path, None), libc.utime(path, None), libc.lutimes(path, None)]\n"
        "errors = ctypes.get_errno()\n"
        "return results == [-1, -1, -1] and errors == 1"
    )
    outcome = run(sandbox, body)
    assert outcome.ok and outcome.selection.all(), outcome
    assert state(victim) == before


@pytest.mark.skipif(platform.machine() not in FILE_CHANGES, reason="no syscall table for this machine")
def test_every_file_changing_system_call_is_denied(sandbox):
    """Called with -1 for every argument (harmless if it ran: EFAULT or EBADF), each must fail with EPERM,
    the filter's answer, before the kernel looks at the arguments."""
    calls = TABLES[platform.machine()]["calls"]
    names = FILE_CHANGES[platform.machine()]
    assert not set(names) - set(calls), "missing from the filter"
    numbers = {name: calls[name] for name in names}
    body = (
        f"numbers = {numbers!r}\n"
        "allowed = []\n"
        "for name, nr in numbers.items():\n"
        "    ctypes.set_errno(0)\n"
        "    libc.syscall(ctypes.c_long(nr), *[ctypes.c_long(-1)] * 6)\n"
        "    if ctypes.get_errno() != 1:\n"
        "        allowed.append((name, ctypes.get_errno()))\n"
        "[].index(allowed)"
    )
    outcome = run(sandbox, body)
    assert "ValueError: [] is not in list" in outcome.reason, outcome.reason


def test_ordinary_rules_still_run_after_all_this(sandbox):
    outcome = sandbox.run("def keep(seed):\n    return seed.r < 4\n", TABLE, fast_path=False)
    assert outcome.ok and outcome.selection.tolist() == [True, True, False, False]
