"""The fixtures the real tools wrote (make_fixtures.py), copies of them to damage, and import-run as typed."""

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from provenance.models import Candidate

FIXTURES = Path(__file__).parent / "fixtures"
OPENEVOLVE = FIXTURES / "openevolve"
SHINKA = FIXTURES / "shinka"


@pytest.fixture
def copied(tmp_path):
    """copied(tool) → a copy of that tool's fixture directory, to change."""

    def copy(tool: str) -> Path:
        target = tmp_path / tool
        shutil.copytree(FIXTURES / tool, target)
        return target

    return copy


def import_run(tool: str, path: Path, *extra: str, project: str = "trianglebox", user: str = "alice") -> str:
    """`manage.py import-run` as a person types it; its output (kept in memory: `path` may be the
    repository's own fixtures)."""
    stdout = io.StringIO()
    call_command("import-run", tool, str(path), "--project", project, "--user", user, *extra, stdout=stdout)
    return stdout.getvalue()


def by_source_id(run) -> dict[str, Candidate]:
    return {c.params["source"]["id"]: c for c in Candidate.objects.filter(run=run)}
