"""What a long export is doing, as numbered steps ("step 4 of 8: writing the PROV-JSON"), for whoever
watches it: `manage.py export` on stderr, the download's status in the browser (web.downloads).

Each format's steps are listed here in the order the export takes them; the code that takes one calls
`step(title)`. A step that is not one of the watched format's (a crate's parts are formats of their own) is
passed over, and with nobody watching a step costs one context-variable lookup."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

READING = "reading the records"
WRITING = {  # format → the step that renders it (provenance.exports.render)
    "md": "writing the transcript",
    "tex": "writing the LaTeX supplement",
    "jsonl": "writing the JSONL archive",
    "prov": "writing the PROV-JSON",
    "disclosure": "writing the AI-use disclosure",
    "disclosure-tex": "writing the AI-use disclosure in LaTeX",
}
DESCRIBING = "describing the programs, tools and people"  # the crate's metadata (provenance.exports.crate)
BAGGING = "checksumming and zipping the bag"
CRATE_FILES = ("md", "disclosure", "disclosure-tex", "prov", "jsonl")  # in crate.FILES' order
STEPS = {
    **{fmt: (READING, title) for fmt, title in WRITING.items()},
    "crate": (READING, *(WRITING[fmt] for fmt in CRATE_FILES), DESCRIBING, BAGGING),
}


@dataclass(frozen=True)
class Step:
    number: int
    total: int
    title: str

    def __str__(self) -> str:
        return f"step {self.number} of {self.total}: {self.title}"


_watched: ContextVar[tuple[tuple[str, ...], Callable[[Step], None]] | None] = ContextVar(
    "export_progress", default=None
)


@contextmanager
def watching(fmt: str, report: Callable[[Step], None] | None) -> Iterator[None]:
    """While the block exports `fmt`, each of its steps goes to `report` as it is reached (None: nobody)."""
    token = _watched.set(None if report is None else (STEPS[fmt], report))
    try:
        yield
    finally:
        _watched.reset(token)


def step(title: str) -> None:
    watched = _watched.get()
    if watched is not None and title in watched[0]:
        steps, report = watched
        report(Step(steps.index(title) + 1, len(steps), title))
