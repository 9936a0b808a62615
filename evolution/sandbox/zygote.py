"""The zygote: a small long-lived process that forks one child per evaluation, and the child's side.

Started once per caller process by runner.Sandbox, with `python -I zygote.py` and an empty environment (a
fresh interpreter, not a fork of the caller: none of the caller's secrets is in its memory or environment,
so none is in a child's). It imports only the standard library and four siblings (no numpy: a smaller
process forks faster), builds the seeds of a table once (cached, frozen out of the garbage collector's
reach), then for each request forks a child that confines itself and runs the rule. Forking a warm process
costs about a millisecond; a fresh interpreter ~40 ms.

The child, before it runs any rule code, in this order:
  1. leaves the zygote's process group; points stdin/stdout/stderr at /dev/null (prints go nowhere, and it
     cannot reach the zygote's control pipes); keeps one write-only result pipe as fd 3 and closes the rest;
  2. sets rlimits: CPU (hard backstop), address space (the zygote's size + the rule's allowance), no new
     processes, no file bigger than 0 bytes, no fd beyond 3 (no new file or socket), no core dump;
  3. drops root to nobody when it is root (root ignores RLIMIT_NPROC and could raise limits);
  4. asks to be killed if the zygote dies; arms a CPU timer at the precise limit (SIGPROF);
  5. installs the seccomp deny list (seccomp_filter.py);
  6. execs the rule with a short list of builtins and reports a packed bitmask (or a bounded reason).
The zygote enforces the wall clock (kills the child's process group), reads at most a fixed number of bytes
and classifies the end: timeout, cpu_limit, memory, crash, exception, bad_return, output_too_large.
"""

import collections
import gc
import json
import os
import pickle
import resource
import select
import signal
import sys
import time

if __package__:
    from . import policy, report
    from . import protocol as P
    from .seccomp_filter import Filter
else:  # run as a script
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import policy
    import protocol as P
    import report
    from seccomp_filter import Filter

import builtins
import ctypes

NOBODY = 65534
CONFINE_FAILED = 71
RESULT_FD = 3
TABLES_KEPT = 4
PR_SET_PDEATHSIG = 1
SAFE_BUILTINS = {name: getattr(builtins, name) for name in policy.SAFE_BUILTINS}
PAGE = os.sysconf("SC_PAGE_SIZE")


class Table:
    """The seeds of one problem as immutable tuples, built once and inherited by every child."""

    def __init__(self, features: list, names: tuple, context: dict, indices: list | None) -> None:
        fields = tuple(names) + tuple(context) + ("indices",)
        self.Seed = collections.namedtuple("Seed", fields)
        self.fields = fields
        self.shown = len(names)  # the context is the same for every seed: not worth repeating
        extra = tuple(int(v) for v in context.values())
        index_rows = [tuple(r) for r in indices] if indices is not None else [()] * len(features)
        self.seeds = [self.Seed(*row, *extra, ix) for row, ix in zip(features, index_rows, strict=True)]
        self.n = len(self.seeds)

    def describe(self, i: int) -> str:
        seed = self.seeds[i]
        shown = [f"{name}={value}" for name, value in zip(self.fields[: self.shown], seed, strict=False)]
        if seed.indices:
            shown.append(f"indices={seed.indices}")
        return ", ".join(shown)[:200]


# ----------------------------------------------------------------------------------------------- the child


def _evaluate(table: Table, source: str) -> tuple[int, str | bytes]:
    values: list = []
    seed = None
    try:
        namespace = {"__builtins__": dict(SAFE_BUILTINS)}
        exec(compile(source, "<rule>", "exec"), namespace)  # noqa: S102 - confined child, see module doc
        keep = namespace.get("keep")
        if not callable(keep):
            return P.EXCEPTION, "the program does not define keep(seed)"
        append = values.append
        seed = 0
        for s in table.seeds:
            append(keep(s))
        seed = None
    except MemoryError:
        values = []
        return P.MEMORY, "MemoryError"
    except BaseException as error:  # noqa: BLE001 - every failure of the rule is reported, none escapes
        return P.EXCEPTION, report.exception_text(error, table, len(values) if seed is not None else None)
    bad = report.first_bad_return(values)
    if bad is not None:
        return P.BAD_RETURN, report.bad_return_text(bad, values[bad], table)
    return P.OK, P.pack(values)


def _outcome(table: Table, source: str) -> tuple[int, bytes]:
    """Run the rule and say how it went, whatever its objects do while being described: an exception here
    would end the child with no result, a bare "crash" that hides the rule's real fault."""
    try:
        status, payload = _evaluate(table, source)
    except MemoryError:
        return P.MEMORY, b"MemoryError"
    except BaseException:  # noqa: BLE001 - the rule's objects raised while its failure was being described
        return P.EXCEPTION, b"the rule failed, and its objects raised while the failure was being described"
    if isinstance(payload, str):
        payload = payload.encode("utf-8", errors="replace")[: P.MAX_TEXT]
    return status, payload


def _confine(limits: dict, baseline: int) -> None:
    os.setpgid(0, 0)
    os.closerange(RESULT_FD + 1, resource.getrlimit(resource.RLIMIT_NOFILE)[0])
    cpu_backstop = int(limits["cpu"]) + 2
    for which, value in (
        (resource.RLIMIT_CPU, cpu_backstop),
        (resource.RLIMIT_AS, baseline + limits["memory"]),
        (resource.RLIMIT_NPROC, 0),
        (resource.RLIMIT_FSIZE, 0),
        (resource.RLIMIT_NOFILE, RESULT_FD + 1),
        (resource.RLIMIT_CORE, 0),
    ):
        resource.setrlimit(which, (value, value))
    _drop_root()
    # Set after the uid change, which clears it; a zygote that died before this line leaves us orphaned.
    _LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != _ZYGOTE:
        os._exit(1)
    signal.setitimer(signal.ITIMER_PROF, limits["cpu"])
    _FILTER.install()  # where it is unavailable the caller sees it in Sandbox.layers
    sys.setrecursionlimit(limits["recursion"])
    gc.disable()  # a cycle made by a rule lives only until the child exits; RLIMIT_AS bounds it


def _drop_root() -> bool:
    if os.geteuid() != 0:
        return False
    try:
        os.setgroups([])
        os.setgid(NOBODY)
        os.setuid(NOBODY)
    except OSError:  # a container without those capabilities: the seccomp filter still holds
        return False
    return True


def _child(table: Table, request: dict, write_fd: int, baseline: int) -> None:
    for fd in (0, 1, 2):
        os.dup2(_DEVNULL, fd)
    if write_fd != RESULT_FD:  # after the line above: /dev/null may itself have been fd 3
        os.dup2(write_fd, RESULT_FD)
    try:
        _confine(request["limits"], baseline)
    except BaseException:  # noqa: BLE001 - never run a rule half-confined
        os._exit(CONFINE_FAILED)
    status, payload = _outcome(table, request["source"])
    message = P.CHILD.pack(P.CHILD_MAGIC, status, table.n, len(payload)) + payload
    view = memoryview(message)
    while view:
        view = view[os.write(RESULT_FD, view) :]
    os._exit(0)


# ---------------------------------------------------------------------------------------------- the zygote


def _vm_size() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[0]) * PAGE


def _reply(fd: int, status: int, seconds: float = 0.0, n: int = 0, mask: bytes = b"", text: str = "") -> None:
    data = text.encode("utf-8", errors="replace")[: P.MAX_TEXT]
    message = P.REPLY.pack(P.REPLY_MAGIC, status, seconds, n, len(mask), len(data)) + mask + data
    view = memoryview(message)
    while view:
        view = view[os.write(fd, view) :]


def _read_exact(fd: int, size: int) -> bytes | None:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _supervise(pid: int, read_fd: int, cap: int, wall: float, started: float) -> tuple[bytes, int | None]:
    """Collect the child's bytes until it exits; kill it on the wall clock or when it sends too much."""
    try:
        pidfd = os.pidfd_open(pid)
    except (AttributeError, OSError):
        pidfd = None
    data, eof, exited, killed_for = bytearray(), False, False, None
    try:
        while not (eof and exited):
            left = started + wall - time.monotonic()
            if left <= 0:
                killed_for = P.TIMEOUT
                break
            waiting = ([] if eof else [read_fd]) + ([pidfd] if pidfd is not None and not exited else [])
            ready, _, _ = select.select(waiting, [], [], left if pidfd is not None else min(left, 0.005))
            if read_fd in ready:
                chunk = os.read(read_fd, 1 << 16)
                eof = not chunk
                data += chunk
                if len(data) > cap:
                    killed_for = P.OUTPUT_TOO_LARGE
                    break
            if pidfd is not None:
                exited = exited or pidfd in ready
            else:
                exited = exited or os.waitid(os.P_PID, pid, os.WEXITED | os.WNOHANG | os.WNOWAIT) is not None
    finally:
        if pidfd is not None:
            os.close(pidfd)
    return bytes(data), killed_for


def _kill(pid: int) -> None:
    for kill in (os.killpg, os.kill):  # the group also takes anything the child managed to start
        try:
            kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _classify(
    table: Table, request: dict, data: bytes, killed_for, status: int, usage
) -> tuple[int, bytes, str]:
    limits = request["limits"]
    cpu = usage.ru_utime + usage.ru_stime
    if killed_for == P.TIMEOUT:
        return P.TIMEOUT, b"", f"the rule ran longer than {limits['wall']:g} s of wall-clock time"
    if killed_for == P.OUTPUT_TOO_LARGE:
        return P.OUTPUT_TOO_LARGE, b"", f"the rule's process sent more than {P.child_cap(table.n)} bytes"
    over_cpu = f"the rule used more than {limits['cpu']:g} s of CPU time"
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        if sig in (signal.SIGPROF, signal.SIGXCPU) or (sig == signal.SIGKILL and cpu >= limits["cpu"]):
            return P.CPU_LIMIT, b"", over_cpu
        return P.CRASH, b"", f"the rule's process died from signal {signal.Signals(sig).name}"
    if len(data) < P.CHILD.size and os.WEXITSTATUS(status) == CONFINE_FAILED:
        return P.CRASH, b"", "the sandbox could not confine the rule's process (see Sandbox.layers)"
    if len(data) < P.CHILD.size:
        return P.CRASH, b"", f"the rule's process exited with status {os.WEXITSTATUS(status)} and no result"
    magic, code, n, size = P.CHILD.unpack_from(data)
    payload = data[P.CHILD.size :]
    well_formed = magic == P.CHILD_MAGIC and n == table.n and size == len(payload)
    if code == P.OK and not (well_formed and size == P.mask_bytes(n)):
        well_formed = False
    if not well_formed or code not in (P.OK, P.MEMORY, P.EXCEPTION, P.BAD_RETURN):
        return P.CRASH, b"", "the rule's process sent a malformed result"
    if cpu > limits["cpu"]:
        return P.CPU_LIMIT, b"", over_cpu
    if code == P.OK:
        return P.OK, payload, ""
    if code == P.MEMORY:
        return P.MEMORY, b"", f"the rule exceeded its memory limit of {limits['memory'] / 2**20:g} MiB"
    return code, b"", P.clean_text(payload)


def _evaluate_request(table: Table, request: dict) -> tuple[int, bytes, str]:
    read_fd, write_fd = os.pipe()
    baseline = _vm_size()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read_fd)
            _child(table, request, write_fd, baseline)
        finally:
            os._exit(70)
    os.close(write_fd)
    try:
        data, killed_for = _supervise(pid, read_fd, P.child_cap(table.n), request["limits"]["wall"], started)
    finally:
        os.close(read_fd)
    if killed_for is not None:
        _kill(pid)
    _, status, usage = os.wait4(pid, 0)
    return _classify(table, request, data, killed_for, status, usage)


def _probe() -> dict:
    """Check once, in a throwaway child, which confinement layers work on this machine."""
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            code |= 1 if _drop_root() else 0
            if _FILTER.install():
                try:
                    os.open(os.devnull, os.O_RDONLY)
                except PermissionError:
                    code |= 2
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 0
    return {"seccomp": bool(code & 2), "root": os.geteuid() == 0, "drops_root": bool(code & 1)}


def serve() -> None:
    global _DEVNULL, _ZYGOTE, _FILTER, _LIBC
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the caller's to handle
    # runner.Sandbox starts us with an empty environment; whoever else starts us, no rule reads theirs here.
    os.environ.clear()
    _ZYGOTE = os.getpid()
    _FILTER = Filter()
    _LIBC = ctypes.CDLL(None, use_errno=True)
    _DEVNULL = os.open(os.devnull, os.O_RDWR)
    requests, replies = os.dup(0), os.dup(1)
    for fd in (0, 1):  # a stray print must not corrupt the reply channel
        os.dup2(_DEVNULL, fd)
    _reply(replies, P.HELLO, text=json.dumps(_probe()))
    tables: collections.OrderedDict[str, Table] = collections.OrderedDict()
    while True:
        header = _read_exact(requests, P.REQUEST.size)
        if header is None:
            return  # the caller closed the pipe: it is gone or done
        (size,) = P.REQUEST.unpack(header)
        request = pickle.loads(_read_exact(requests, size) or b"")
        digest = request["digest"]
        if "table" in request:
            tables[digest] = Table(**request["table"])
            while len(tables) > TABLES_KEPT:
                tables.popitem(last=False)
            # Park everything alive in the permanent generation: a child's collections then never walk (and
            # so never copy) the seeds' pages.
            gc.collect()
            gc.freeze()
        table = tables.get(digest)
        if table is None:
            _reply(replies, P.NEED_TABLE)
            continue
        tables.move_to_end(digest)
        started = time.monotonic()
        status, mask, text = _evaluate_request(table, request)
        _reply(replies, status, time.monotonic() - started, table.n, mask, text)


_DEVNULL = _ZYGOTE = -1
_FILTER = _LIBC = None

if __name__ == "__main__":
    serve()
