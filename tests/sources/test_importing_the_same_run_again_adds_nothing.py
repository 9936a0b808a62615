"""The same files imported into the same project again add nothing, and say so."""

import pytest

from tests.exports.archives import snapshot
from tests.sources.conftest import OPENEVOLVE, SHINKA, import_run

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("tool, path", [("openevolve", OPENEVOLVE), ("shinka", SHINKA)])
def test_a_second_import_adds_nothing(project, tool, path):
    first = import_run(tool, path)
    assert "imported" in first
    before = snapshot()
    again = import_run(tool, path)
    assert snapshot() == before
    assert "imported before, as run" in again and "nothing added" in again


def test_a_shinka_database_named_directly_is_the_same_source_as_its_directory(project):
    import_run("shinka", SHINKA / "programs.sqlite")
    before = snapshot()
    assert "nothing added" not in import_run("shinka", SHINKA)  # the directory also holds its attempts
    assert snapshot() != before
