"""Reading an archive's lines without trusting them: bounded lines, UTF-8, JSON of bounded depth, no NUL.

An archive may come from anyone (manage.py import). Each refusal is an ArchiveError whose message names the
line and the field (`line 12: candidate.island: an integer from 0 to 2147483647, not -1`), never a traceback.
A line is read with a bounded readline, so a 2 GB line is refused after its first 16 MiB, never held whole.
"""

import hashlib
import json
import math
from collections.abc import Iterator

MAX_LINE = 16 * 2**20  # bytes: a record holds one program or one model response; 16 MiB is far beyond both
MAX_ARCHIVE = 4 * 2**30  # bytes: far beyond a large run (10,000 candidates take about 30 MB)
MAX_DEPTH = 64  # nesting of JSON arrays and objects: records nest three or four deep


class ArchiveError(Exception):
    """The archive is refused: `line` (1-based; None when no line is to blame), `field`, and why."""

    def __init__(self, line: int | None, message: str, field: str = ""):
        self.line, self.field, self.reason = line, field, message
        where = ([f"line {line}"] if line else []) + ([field] if field else [])
        super().__init__(": ".join([*where, message]))


class Reader:
    """The archive's rows as (line number, object), checked as they are read; then its size and SHA-256."""

    def __init__(self, source):
        self.source = source
        self.digest = hashlib.sha256()
        self.size = 0
        self.lines = 0

    @property
    def sha256(self) -> str:
        return self.digest.hexdigest()

    def __iter__(self) -> Iterator[tuple[int, dict]]:
        for number, raw in enumerate(_raw_lines(self.source), 1):
            self.lines = number
            self.size += len(raw)
            if self.size > MAX_ARCHIVE:
                raise ArchiveError(number, f"the archive is larger than {MAX_ARCHIVE // 2**30} GiB")
            self.digest.update(raw)
            row = parse(number, raw)
            if row is not None:
                yield number, row


def _raw_lines(source) -> Iterator[bytes]:
    """Lines as bytes: from a binary file (bounded readline) or from an iterable of bytes or str."""
    if hasattr(source, "readline"):
        while line := source.readline(MAX_LINE + 2):  # a longest allowed line, its "\r\n", one byte more
            yield line
        return
    for line in source:
        yield line.encode("utf-8", "surrogatepass") if isinstance(line, str) else line


def parse(number: int, raw: bytes) -> dict | None:
    """One line's object (None for a blank line), or an ArchiveError naming what is wrong with it."""
    if len(raw.rstrip(b"\r\n")) > MAX_LINE:
        raise ArchiveError(number, f"the line is longer than {MAX_LINE // 2**20} MiB")
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise ArchiveError(number, f"a NUL byte at column {nul + 1}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ArchiveError(number, f"not UTF-8 (byte {error.start + 1})") from None
    if not text.strip():
        return None
    try:
        row = json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise ArchiveError(number, f"not JSON: nested deeper than {MAX_DEPTH}") from None
    except ValueError as error:  # JSONDecodeError, a 5,000-digit number, NaN
        raise ArchiveError(number, f"not JSON ({error})") from None
    if not isinstance(row, dict):
        raise ArchiveError(number, f"not an object but a JSON {kind_of(row)}")
    if not isinstance(row.get("type"), str):
        raise ArchiveError(number, "a line names its type (a string)", "type")
    check_value(number, row, row["type"])
    return row


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


def check_value(number: int, value, where: str) -> None:
    """Depth, NUL characters (which PostgreSQL cannot store) and infinite numbers (1e999 parses as inf),
    anywhere in the value; iteratively, so that no depth can exhaust the stack."""
    stack = [(value, where, 0)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth >= MAX_DEPTH:
                raise ArchiveError(number, f"nested deeper than {MAX_DEPTH}", path[:80])
            pairs = item.items() if isinstance(item, dict) else enumerate(item)
            for key, inner in pairs:
                if isinstance(key, str):
                    _check_text(number, key, path)
                inner_path = f"{path}.{key}" if isinstance(key, str) else f"{path}[{key}]"
                stack.append((inner, inner_path, depth + 1))
        elif isinstance(item, str):
            _check_text(number, item, path)
        elif isinstance(item, float) and not math.isfinite(item):
            raise ArchiveError(number, "a number too large to be finite", path)


def _check_text(number: int, text: str, path: str) -> None:
    if "\x00" in text:
        raise ArchiveError(number, "holds a NUL character", path)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # "\ud800" is JSON, but no text: it cannot be hashed or stored
        raise ArchiveError(number, "holds a lone surrogate, which is no text", path) from None


def kind_of(value) -> str:
    """The JSON name of a value's type, for messages."""
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    return names.get(type(value), "number")
