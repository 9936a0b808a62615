"""Reading another tool's files without trusting them: bounded sizes, bounded JSON depth, typed fields.

Every refusal is a SourceError naming the file (relative to what was given) and the field, never a traceback:
`checkpoint_4/programs/ab12.json: metrics.combined_score: a number, not a string`. Each file read is hashed;
the hashes are the import's identity (importing the same files again adds nothing) and its record.
"""

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from provenance.exports.reading import MAX_DEPTH, ArchiveError, check_value, kind_of

MAX_FILE = 64 * 2**20  # bytes: one program's JSON holds a program and a few prompts
MAX_DATABASE = 2 * 2**30  # bytes: a SQLite database of a long run
MAX_TEXT = 16 * 2**20  # characters of one program, prompt or response (as the archive's lines)
MAX_FILES = 200_000


class SourceError(Exception):
    """The source is refused: which file, which field, why. Nothing is written."""

    def __init__(self, file: str, reason: str, field: str = ""):
        self.file, self.field, self.reason = file, field, reason
        super().__init__(": ".join(part for part in (file, field, reason) if part))


@dataclass
class Files:
    """The files of one source, read within bounds, each hashed as it is read."""

    root: Path
    read: dict[str, tuple[str, int]] = field(default_factory=dict)  # relative path → (sha256, bytes)

    def name(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix() if path != self.root else path.name

    def check(self, path: Path, name: str) -> None:
        """A regular file inside what was given (no link may lead a reader elsewhere)."""
        if path.is_symlink() or not path.is_file():
            raise SourceError(name, "not a regular file")
        if not path.resolve().is_relative_to(self.root.resolve()):
            raise SourceError(name, "outside the directory given (through a link)")

    def bytes(self, path: Path, limit: int = MAX_FILE) -> bytes:
        name = self.name(path)
        self.check(path, name)
        if len(self.read) >= MAX_FILES:
            raise SourceError(name, f"more than {MAX_FILES} files")
        with open(path, "rb") as opened:
            data = opened.read(limit + 1)
        if len(data) > limit:
            raise SourceError(name, f"larger than {limit // 2**20} MiB")
        self.read[name] = (hashlib.sha256(data).hexdigest(), len(data))
        return data

    def database(self, path: Path) -> None:
        """Hash a database file as it is, in chunks (it may be large); it is then opened read-only."""
        name = self.name(path)
        self.check(path, name)
        digest, size = hashlib.sha256(), 0
        with open(path, "rb") as opened:
            while chunk := opened.read(2**20):
                size += len(chunk)
                if size > MAX_DATABASE:
                    raise SourceError(name, f"larger than {MAX_DATABASE // 2**30} GiB")
                digest.update(chunk)
        self.read[name] = (digest.hexdigest(), size)

    def text(self, path: Path) -> str:
        data = self.bytes(path)
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as error:
            raise SourceError(self.name(path), f"not UTF-8 (byte {error.start + 1})") from None

    def json(self, path: Path):
        return parse_json(self.text(path), self.name(path))

    def lines(self, path: Path):
        """(line number, object) of a JSON Lines file."""
        name = self.name(path)
        for number, line in enumerate(self.text(path).splitlines(), 1):
            if line.strip():
                yield number, parse_json(line, f"{name}, line {number}")

    @property
    def digest(self) -> str:
        """One hash of every file read (its path, hash and size): the same files give the same digest."""
        listing = json.dumps(sorted((name, *seen) for name, seen in self.read.items()))
        return hashlib.sha256(listing.encode()).hexdigest()

    def listing(self) -> list[dict]:
        return [
            {"path": name, "sha256": sha, "bytes": size} for name, (sha, size) in sorted(self.read.items())
        ]


def parse_json(text: str, where: str, field_name: str = ""):
    """JSON of bounded depth, no NUL, no lone surrogates, no NaN or infinities."""
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except RecursionError:
        raise SourceError(where, f"not JSON: nested deeper than {MAX_DEPTH}", field_name) from None
    except ValueError as error:
        raise SourceError(where, f"not JSON ({str(error)[:200]})", field_name) from None
    try:
        check_value(0, value, field_name or "")
    except ArchiveError as error:
        raise SourceError(where, error.reason, error.field) from None
    return value


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number")


# Typed fields: each takes the object, the key, the file and the path to the object within it ----------------


class Fields:
    """Typed access to one object of one file; `at` is the object's path inside the file ("metadata")."""

    def __init__(self, value, file: str, at: str = ""):
        if not isinstance(value, dict):
            raise SourceError(file, f"an object, not a JSON {kind_of(value)}", at)
        self.value, self.file, self.at = value, file, at

    def where(self, key: str) -> str:
        return f"{self.at}.{key}" if self.at else key

    def refuse(self, key: str, expected: str, value) -> None:
        raise SourceError(self.file, f"{expected}, not a {kind_of(value)}", self.where(key))

    def get(self, key: str, types, expected: str, *, optional: bool = True, default=None):
        value = self.value.get(key)
        if value is None:
            if optional:
                return default
            raise SourceError(self.file, "missing", self.where(key))
        if not isinstance(value, types) or (isinstance(value, bool) and bool not in _tuple(types)):
            self.refuse(key, expected, value)
        if isinstance(value, str) and len(value) > MAX_TEXT:
            raise SourceError(self.file, f"longer than {MAX_TEXT // 2**20} Mi characters", self.where(key))
        return value

    def text(self, key: str, *, optional: bool = True) -> str | None:
        return self.get(key, str, "a string", optional=optional)

    def number(self, key: str) -> float | None:
        return self.get(key, (int, float), "a number")

    def integer(self, key: str, low: int = 0, high: int = 2**31 - 1) -> int | None:
        value = self.get(key, int, "an integer")
        if value is not None and not low <= value <= high:
            raise SourceError(self.file, f"an integer from {low} to {high}, not {value}", self.where(key))
        return value

    def boolean(self, key: str) -> bool | None:
        return self.get(key, bool, "true or false")

    def object(self, key: str) -> "Fields":
        return Fields(self.get(key, dict, "an object", default={}), self.file, self.where(key))

    def strings(self, key: str) -> list[str]:
        items = self.get(key, list, "an array of strings", default=[])
        for i, item in enumerate(items):
            if not isinstance(item, str) or len(item) > 200:
                raise SourceError(self.file, "a string of at most 200 characters", f"{self.where(key)}[{i}]")
        return items

    def scores(self, key: str) -> dict[str, float]:
        """An object of named numbers (a tool's metrics); other values are kept out of the scores."""
        found = self.object(key)
        return {
            name: value
            for name, value in found.value.items()
            if isinstance(value, int | float) and not isinstance(value, bool)
        }


def _tuple(types) -> tuple:
    return types if isinstance(types, tuple) else (types,)
