"""Runs of other evolution tools brought into the record (`manage.py import-run TOOL PATH`): each tool's
reader (openevolve, shinka) turns its files into programs, calls and events (program.Source), read within
bounds (reading); recording writes them through the ledger as a new run, all or nothing."""

from pathlib import Path

from provenance.sources import openevolve, shinka
from provenance.sources.reading import SourceError
from provenance.sources.recording import Report, record

READERS = {"openevolve": openevolve.read, "shinka": shinka.read}

__all__ = ["READERS", "Report", "SourceError", "bring_in"]


def bring_in(
    tool: str,
    path: Path,
    *,
    project,
    user,
    version: str = "",
    family: str = "",
    problems: list[str] | None = None,
) -> Report:
    """Read the tool's files at `path` (refused whole with a SourceError), then record them as a new run of
    `project`; the same files imported into the project before give that run back, adding nothing."""
    if tool not in READERS:
        raise SourceError(path.name, f"unknown tool {tool!r} (one of {', '.join(READERS)})")
    if not path.exists():
        raise SourceError(path.name, "no such file or directory")
    try:
        source, files = READERS[tool](path, version)
    except OSError as error:
        raise SourceError(path.name, f"cannot read it ({error.strerror or error})") from None
    return record(source, files, project=project, user=user, family=family, problems=problems)
