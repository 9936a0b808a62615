"""An imported run exports to every format (a candidate's ancestry too), and verify says it is intact."""

import pytest
from django.core.management import call_command

from provenance.exports import FORMATS, export
from provenance.models import Import
from provenance.verify import verify
from tests.sources.conftest import OPENEVOLVE, SHINKA, import_run

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("tool, path", [("openevolve", OPENEVOLVE), ("shinka", SHINKA)])
def test_every_format_and_verify(project, tool, path, tmp_path):
    import_run(tool, path)
    run = Import.objects.get().run
    deepest = run.candidates.order_by("-seq").first()
    for fmt in FORMATS:
        assert export(fmt, run=run.pk).content
        assert export(fmt, candidate=deepest.pk).content
    transcript = export("md", run=run.pk).content.decode()
    assert tool in transcript
    assert all(report.intact for report in verify())
    out = tmp_path / "verify.out"
    with open(out, "w") as stdout:
        call_command("verify", "--run", str(run.pk), stdout=stdout)
    assert "intact" in out.read_text()


def test_the_import_record_names_every_file_and_its_hash(project):
    import_run("shinka", SHINKA)
    record = Import.objects.get().record
    files = {f["path"] for f in record.payload["source"]["files"]}
    assert "programs.sqlite" in files and any(f.endswith("llm_response.txt") for f in files)
    first = record.run.candidates.order_by("seq").first()
    assert first.archived["imported_from"]["record"] == record.pk
