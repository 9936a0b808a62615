"""Wire formats between the caller, the zygote and a rule's child process. Standard library only.

caller -> zygote: a length-prefixed pickle (the zygote trusts the process that started it).
zygote -> caller and child -> zygote: fixed struct headers plus bounded bytes, never pickle, so neither a
confused zygote nor a hostile child can make the reader run code; readers check every length.
"""

import struct

# Status codes, shared by the child's message and the zygote's reply.
OK = 0
NEED_TABLE = 1
HELLO = 2
TIMEOUT = 3
CPU_LIMIT = 4
MEMORY = 5
CRASH = 6
EXCEPTION = 7
BAD_RETURN = 8
OUTPUT_TOO_LARGE = 9

FAILURES = {
    TIMEOUT: "timeout",
    CPU_LIMIT: "cpu_limit",
    MEMORY: "memory",
    CRASH: "crash",
    EXCEPTION: "exception",
    BAD_RETURN: "bad_return",
    OUTPUT_TOO_LARGE: "output_too_large",
}

MAX_TEXT = 2000  # bytes of a reason that travel; longer ones are cut

# magic, status, seconds (wall, in the zygote), n seeds, mask bytes, text bytes
REPLY = struct.Struct("<4sBdQII")
REPLY_MAGIC = b"SBZ1"
# magic, status, n seeds, payload bytes
CHILD = struct.Struct("<4sBQI")
CHILD_MAGIC = b"SBC1"
REQUEST = struct.Struct("<I")
MAX_REQUEST = 1 << 30


def mask_bytes(n: int) -> int:
    return (n + 7) // 8


def child_cap(n: int) -> int:
    """Most bytes a well-behaved child ever sends for n seeds."""
    return CHILD.size + max(mask_bytes(n), MAX_TEXT)


_DIGITS = bytes.maketrans(b"\x00\x01", b"01")


def pack(values: list) -> bytes:
    """Bools (or 0/1) to a bitmask, seed i at bit i % 8 of byte i // 8 (numpy's bitorder="little").
    All in C: bytes → ASCII digits → one base-2 int → little-endian bytes."""
    if not values:
        return b""
    digits = bytes(values).translate(_DIGITS)[::-1]
    return int(digits, 2).to_bytes(mask_bytes(len(values)), "little")


def clean_text(data: bytes) -> str:
    """Decode a reason from a less trusted process: bounded and printable, on one line."""
    text = data[:MAX_TEXT].decode("utf-8", errors="replace")
    return "".join(c if c.isprintable() else " " for c in text)
