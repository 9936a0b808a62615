"""A seccomp-BPF deny list for a rule's child process (Linux x86_64 and aarch64; ctypes, no extra package).

rlimits alone are not enough: root ignores RLIMIT_NPROC and may raise any limit, and the same uid may signal
the zygote. After the filter is installed these system calls fail with EPERM: new processes and programs,
opening or changing files (also without opening them: times, extended attributes, modes, sizes, names),
sockets, System V and POSIX IPC objects, signals to other processes, ptrace, raising limits, namespaces and
mounts, and the like. Everything else (memory, reading and writing fds already open, exit) still works, so
an ordinary rule cannot tell the difference. It is a deny list on purpose: an allow list that missed a call
CPython makes on some path would turn good rules into crashes.
"""

import ctypes
import platform
import struct

X86_64 = {
    "arch": 0xC000003E,
    "calls": {
        "open": 2, "shmget": 29, "shmat": 30, "socket": 41, "connect": 42, "accept": 43,
        "sendto": 44, "sendmsg": 46, "bind": 49, "listen": 50, "socketpair": 53, "clone": 56, "fork": 57,
        "vfork": 58, "execve": 59, "kill": 62, "semget": 64, "msgget": 68, "truncate": 76, "rename": 82,
        "mkdir": 83, "rmdir": 84, "creat": 85, "link": 86, "unlink": 87, "symlink": 88, "chmod": 90,
        "fchmod": 91, "chown": 92, "fchown": 93, "lchown": 94, "ptrace": 101, "setuid": 105, "setgid": 106,
        "setreuid": 113, "setregid": 114, "setgroups": 116, "setresuid": 117, "setresgid": 119,
        "rt_sigqueueinfo": 129, "mknod": 133, "personality": 135, "pivot_root": 155, "prctl": 157,
        "adjtimex": 159, "setrlimit": 160, "chroot": 161, "acct": 163, "settimeofday": 164, "mount": 165,
        "umount2": 166, "swapon": 167, "swapoff": 168, "reboot": 169, "sethostname": 170,
        "setdomainname": 171, "init_module": 175, "delete_module": 176, "quotactl": 179, "tkill": 200,
        "clock_settime": 227, "tgkill": 234, "mq_open": 240, "kexec_load": 246, "add_key": 248,
        "request_key": 249, "keyctl": 250, "inotify_init": 253, "openat": 257, "mkdirat": 258,
        "mknodat": 259, "fchownat": 260, "unlinkat": 263, "renameat": 264, "linkat": 265, "symlinkat": 266,
        "fchmodat": 268, "unshare": 272, "accept4": 288, "inotify_init1": 294, "rt_tgsigqueueinfo": 297,
        "perf_event_open": 298, "fanotify_init": 300, "prlimit64": 302, "name_to_handle_at": 303,
        "open_by_handle_at": 304, "sendmmsg": 307, "setns": 308, "process_vm_readv": 310,
        "process_vm_writev": 311, "finit_module": 313, "renameat2": 316, "seccomp": 317,
        "memfd_create": 319, "kexec_file_load": 320, "bpf": 321, "execveat": 322, "userfaultfd": 323,
        "pidfd_send_signal": 424, "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427,
        "pidfd_open": 434, "clone3": 435, "openat2": 437, "pidfd_getfd": 438,
        # Changing a file without opening it, by path or by fd: times, extended attributes, sizes, modes.
        "ftruncate": 77, "utime": 132, "utimes": 235, "futimesat": 261, "utimensat": 280, "setxattr": 188,
        "lsetxattr": 189, "fsetxattr": 190, "removexattr": 197, "lremovexattr": 198, "fremovexattr": 199,
        "fallocate": 285, "fchmodat2": 452, "setxattrat": 463, "removexattrat": 466, "file_setattr": 469,
        # Objects shared with other processes of the same user, reachable by a guessed id or name.
        "shmctl": 31, "semop": 65, "semctl": 66, "msgsnd": 69, "msgrcv": 70, "msgctl": 71,
        "semtimedop": 220, "mq_unlink": 241, "mq_timedsend": 242,
        # The new mount API, and old calls on libraries, terminals and ports that no rule needs.
        "open_tree": 428, "move_mount": 429, "fsopen": 430, "fsconfig": 431, "fsmount": 432, "fspick": 433,
        "mount_setattr": 442, "quotactl_fd": 443, "open_tree_attr": 467, "uselib": 134, "vhangup": 153,
        "iopl": 172, "ioperm": 173,
    },
    # x32 system calls (bit 30 set) reach the same kernel code under other numbers: refuse them all.
    "refuse_from": 0x40000000,
}

AARCH64 = {
    "arch": 0xC00000B7,
    "calls": {
        "inotify_init1": 26, "mknodat": 33, "mkdirat": 34, "unlinkat": 35, "symlinkat": 36,
        "linkat": 37, "renameat": 38, "umount2": 39, "mount": 40, "pivot_root": 41, "truncate": 45,
        "fchmod": 52, "fchmodat": 53, "fchownat": 54, "fchown": 55, "openat": 56, "quotactl": 60,
        "acct": 89, "personality": 92, "unshare": 97, "kexec_load": 104, "init_module": 105,
        "delete_module": 106, "clock_settime": 112, "ptrace": 117, "kill": 129, "tkill": 130,
        "tgkill": 131, "rt_sigqueueinfo": 138, "reboot": 142, "setregid": 143, "setgid": 144,
        "setreuid": 145, "setuid": 146, "setresuid": 147, "setresgid": 149, "setgroups": 159,
        "sethostname": 161, "setdomainname": 162, "setrlimit": 164, "prctl": 167, "settimeofday": 170,
        "adjtimex": 171, "mq_open": 180, "msgget": 186, "semget": 190, "shmget": 194, "shmat": 196,
        "socket": 198, "socketpair": 199, "bind": 200, "listen": 201, "accept": 202, "connect": 203,
        "sendto": 206, "sendmsg": 211, "add_key": 217, "request_key": 218, "keyctl": 219, "clone": 220,
        "execve": 221, "swapon": 224, "swapoff": 225, "rt_tgsigqueueinfo": 240, "perf_event_open": 241,
        "accept4": 242, "prlimit64": 261, "fanotify_init": 262, "name_to_handle_at": 264,
        "open_by_handle_at": 265, "setns": 268, "sendmmsg": 269, "process_vm_readv": 270,
        "process_vm_writev": 271, "finit_module": 273, "renameat2": 276, "seccomp": 277,
        "memfd_create": 279, "bpf": 280, "execveat": 281, "userfaultfd": 282, "kexec_file_load": 294,
        "pidfd_send_signal": 424, "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427,
        "pidfd_open": 434, "clone3": 435, "openat2": 437, "pidfd_getfd": 438,
        # As for x86_64 (aarch64 has only the *at and f* forms of these calls).
        "setxattr": 5, "lsetxattr": 6, "fsetxattr": 7, "removexattr": 14, "lremovexattr": 15,
        "fremovexattr": 16, "ftruncate": 46, "fallocate": 47, "vhangup": 58, "utimensat": 88,
        "fchmodat2": 452, "setxattrat": 463, "removexattrat": 466, "file_setattr": 469,
        "shmctl": 195, "semop": 193, "semctl": 191, "msgsnd": 189, "msgrcv": 188, "msgctl": 187,
        "semtimedop": 192, "mq_unlink": 181, "mq_timedsend": 182,
        "open_tree": 428, "move_mount": 429, "fsopen": 430, "fsconfig": 431, "fsmount": 432, "fspick": 433,
        "mount_setattr": 442, "quotactl_fd": 443, "open_tree_attr": 467,
    },
    "refuse_from": None,
}

TABLES = {"x86_64": X86_64, "aarch64": AARCH64}

PR_SET_SECCOMP = 22
PR_SET_NO_NEW_PRIVS = 38
SECCOMP_MODE_FILTER = 2
RET_ALLOW = 0x7FFF0000
RET_EPERM = 0x00050000 | 1
RET_KILL_PROCESS = 0x80000000

LD_W_ABS, JEQ_K, JGE_K, RET_K = 0x20, 0x15, 0x35, 0x06


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _program(table: dict) -> bytes:
    calls = sorted(set(table["calls"].values()))
    ops = [(LD_W_ABS, 0, 0, 4)]  # seccomp_data.arch
    ops.append((JEQ_K, 0, 0, table["arch"]))  # jf patched below: a foreign ABI is killed
    ops.append((LD_W_ABS, 0, 0, 0))  # seccomp_data.nr
    checks = ([table["refuse_from"]] if table["refuse_from"] else []) + calls
    first = len(ops)
    allow = first + len(checks)
    eperm, kill = allow + 1, allow + 2
    for i, nr in enumerate(checks):
        op = JGE_K if (table["refuse_from"] and i == 0) else JEQ_K
        ops.append((op, eperm - (first + i) - 1, 0, nr))
    ops += [(RET_K, 0, 0, RET_ALLOW), (RET_K, 0, 0, RET_EPERM), (RET_K, 0, 0, RET_KILL_PROCESS)]
    ops[1] = (JEQ_K, 0, kill - 2, table["arch"])
    assert all(jt < 256 and jf < 256 for _, jt, jf, _ in ops)
    return b"".join(struct.pack("=HBBI", *op) for op in ops)


class Filter:
    """Built once in the zygote; `install()` is the only thing a child calls (two prctl calls)."""

    def __init__(self) -> None:
        table = TABLES.get(platform.machine())
        self.available = table is not None
        if not self.available:
            return
        self._code = ctypes.create_string_buffer(_program(table))
        self._prog = _Program(len(self._code.raw) // 8, ctypes.addressof(self._code))
        self._libc = ctypes.CDLL(None, use_errno=True)
        self._prctl = self._libc.prctl
        self._prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong]

    def install(self) -> bool:
        if not self.available:
            return False
        if self._prctl(PR_SET_NO_NEW_PRIVS, 1, None, 0, 0) != 0:
            return False
        return self._prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.addressof(self._prog), 0, 0) == 0
