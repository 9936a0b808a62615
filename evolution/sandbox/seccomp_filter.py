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

# Every denied call once, with its number on each machine: (x86_64, aarch64). None: aarch64 has no such call,
# only its newer forms (openat for open, clone for fork, and so on), or none at all (iopl, uselib).
CALLS = {
    # New processes and programs.
    "clone": (56, 220), "clone3": (435, 435), "fork": (57, None), "vfork": (58, None), "execve": (59, 221),
    "execveat": (322, 281),
    # Opening files, and new file descriptors of other kinds (io_uring also acts on files by itself).
    "open": (2, None), "openat": (257, 56), "openat2": (437, 437), "creat": (85, None),
    "name_to_handle_at": (303, 264), "open_by_handle_at": (304, 265), "memfd_create": (319, 279),
    "inotify_init": (253, None), "inotify_init1": (294, 26), "fanotify_init": (300, 262),
    "userfaultfd": (323, 282), "perf_event_open": (298, 241), "bpf": (321, 280), "io_uring_setup": (425, 425),
    "io_uring_enter": (426, 426), "io_uring_register": (427, 427),
    # Changing a file without opening it, by path or by fd: sizes, names, links, modes, owners, times,
    # extended attributes.
    "truncate": (76, 45), "ftruncate": (77, 46), "fallocate": (285, 47), "rename": (82, None),
    "renameat": (264, 38), "renameat2": (316, 276), "mkdir": (83, None), "mkdirat": (258, 34),
    "rmdir": (84, None), "link": (86, None), "linkat": (265, 37), "unlink": (87, None), "unlinkat": (263, 35),
    "symlink": (88, None), "symlinkat": (266, 36), "mknod": (133, None), "mknodat": (259, 33),
    "chmod": (90, None), "fchmod": (91, 52), "fchmodat": (268, 53), "fchmodat2": (452, 452),
    "chown": (92, None), "fchown": (93, 55), "lchown": (94, None), "fchownat": (260, 54),
    "utime": (132, None), "utimes": (235, None), "futimesat": (261, None), "utimensat": (280, 88),
    "setxattr": (188, 5), "lsetxattr": (189, 6), "fsetxattr": (190, 7), "setxattrat": (463, 463),
    "removexattr": (197, 14), "lremovexattr": (198, 15), "fremovexattr": (199, 16),
    "removexattrat": (466, 466), "file_setattr": (469, 469),
    # Sockets.
    "socket": (41, 198), "socketpair": (53, 199), "connect": (42, 203), "accept": (43, 202),
    "accept4": (288, 242), "bind": (49, 200), "listen": (50, 201), "sendto": (44, 206), "sendmsg": (46, 211),
    "sendmmsg": (307, 269),
    # System V and POSIX IPC objects, shared with other processes of the same user by a guessed id or name.
    "shmget": (29, 194), "shmat": (30, 196), "shmctl": (31, 195), "semget": (64, 190), "semop": (65, 193),
    "semctl": (66, 191), "semtimedop": (220, 192), "msgget": (68, 186), "msgsnd": (69, 189),
    "msgrcv": (70, 188), "msgctl": (71, 187), "mq_open": (240, 180), "mq_unlink": (241, 181),
    "mq_timedsend": (242, 182),
    # Other processes: signals, file descriptors, memory.
    "kill": (62, 129), "tkill": (200, 130), "tgkill": (234, 131), "rt_sigqueueinfo": (129, 138),
    "rt_tgsigqueueinfo": (297, 240), "pidfd_open": (434, 434), "pidfd_send_signal": (424, 424),
    "pidfd_getfd": (438, 438), "ptrace": (101, 117), "process_vm_readv": (310, 270),
    "process_vm_writev": (311, 271),
    # Identity, limits and the filter itself.
    "setuid": (105, 146), "setgid": (106, 144), "setreuid": (113, 145), "setregid": (114, 143),
    "setresuid": (117, 147), "setresgid": (119, 149), "setgroups": (116, 159), "setrlimit": (160, 164),
    "prlimit64": (302, 261), "prctl": (157, 167), "personality": (135, 92), "seccomp": (317, 277),
    # Namespaces and mounts, with the new mount API.
    "unshare": (272, 97), "setns": (308, 268), "chroot": (161, 51), "pivot_root": (155, 41),
    "mount": (165, 40), "umount2": (166, 39), "open_tree": (428, 428), "open_tree_attr": (467, 467),
    "move_mount": (429, 429), "fsopen": (430, 430), "fsconfig": (431, 431), "fsmount": (432, 432),
    "fspick": (433, 433), "mount_setattr": (442, 442), "quotactl": (179, 60), "quotactl_fd": (443, 443),
    # The machine, and old calls on libraries, terminals and ports that no rule needs.
    "reboot": (169, 142), "kexec_load": (246, 104), "kexec_file_load": (320, 294), "init_module": (175, 105),
    "finit_module": (313, 273), "delete_module": (176, 106), "swapon": (167, 224), "swapoff": (168, 225),
    "acct": (163, 89), "settimeofday": (164, 170), "clock_settime": (227, 112), "adjtimex": (159, 171),
    "sethostname": (170, 161), "setdomainname": (171, 162), "add_key": (248, 217), "request_key": (249, 218),
    "keyctl": (250, 219), "uselib": (134, None), "vhangup": (153, 58), "iopl": (172, None),
    "ioperm": (173, None),
}

MACHINES = {
    # x32 system calls (bit 30 set) reach the same kernel code under other numbers: refuse them all.
    "x86_64": {"arch": 0xC000003E, "column": 0, "refuse_from": 0x40000000},
    "aarch64": {"arch": 0xC00000B7, "column": 1, "refuse_from": None},
}


def _table(machine: dict) -> dict:
    column = machine["column"]
    calls = {name: pair[column] for name, pair in CALLS.items() if pair[column] is not None}
    return {"arch": machine["arch"], "calls": calls, "refuse_from": machine["refuse_from"]}


TABLES = {name: _table(machine) for name, machine in MACHINES.items()}

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
