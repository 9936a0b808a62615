"""`reevaluate` scores the keep(seed) rules of an imported run with our solver beside the tool's own score,
records them when asked, and then finds no difference."""

import json

import pytest
from django.core.management import CommandError, call_command

from provenance.models import Evaluation, Import
from tests.sources.conftest import OPENEVOLVE, SHINKA, import_run

pytestmark = pytest.mark.django_db


def reevaluate(run, *extra, tmp_path) -> dict:
    out = tmp_path / "reevaluate.out"
    with open(out, "w") as stdout:
        call_command("reevaluate", str(run.pk), "--json", *extra, stdout=stdout)
    return json.loads(out.read_text())


def test_ours_beside_theirs_then_recorded(project, tmp_path):
    import_run("shinka", SHINKA, "--family", "trianglebox", "--problem", "rank3")
    run = Import.objects.get().run
    report = reevaluate(run, tmp_path=tmp_path)
    assert report["beside"] and not Evaluation.objects.filter(run=run).exists()
    for row in report["beside"]:
        assert "shinka: combined_score" in row["theirs"]
        assert [v["problem"] for v in row["ours"]] == ["rank3"]
    reevaluate(run, "--record", tmp_path=tmp_path)
    assert Evaluation.objects.filter(run=run).count() == len(report["beside"])
    again = reevaluate(run, tmp_path=tmp_path)
    assert again["differences"] == [] and again["beside"] == []


def test_a_run_imported_without_a_family_says_what_is_missing(project):
    import_run("openevolve", OPENEVOLVE)
    with pytest.raises(CommandError, match="without --family"):
        call_command("reevaluate", str(Import.objects.get().run.pk))
