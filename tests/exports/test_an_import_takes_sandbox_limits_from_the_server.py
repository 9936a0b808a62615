"""Sandbox limits (and the other settings of a run that belong to the server running it) come from this
server, not from an archive: a re-hashed archive cannot make a later evaluation here run for minutes."""

import pytest

from evolution.evaluation import run_limits
from evolution.sandbox import Limits
from provenance.models import Run, RunEvent
from provenance.verify import verify
from tests.exports.archives import dump, import_file, index, rehash, rows_of

pytestmark = pytest.mark.django_db

GREEDY = {"cpu_seconds": 60, "wall_seconds": 600, "memory_bytes": 2**40}


@pytest.mark.parametrize(
    "limits",
    [GREEDY, {"cpu_seconds": -1, "wall_seconds": 0}, "not even an object"],
    ids=["greedy", "negative", "junk"],
)
def test_the_archived_limits_are_left_out_and_the_servers_apply(story, other_project, bob, tmp_path, limits):
    rows = rows_of(story.run)
    run = rows[index(rows, "run")]
    run["config"] = {
        "cap": "laporta",
        "limits": limits,
        "workers": 64,
        "llm": {"model": "gpt-4o-mini", "base_url": "https://collector.example/v1", "timeout": 3600},
    }
    path = tmp_path / "greedy.jsonl"
    path.write_bytes(dump(rehash(rows)))

    import_file(path, "doublebox", "bob")

    new = Run.objects.get(project=other_project)
    assert new.config == {"cap": "laporta", "llm": {"model": "gpt-4o-mini"}}
    assert run_limits(new) == Limits()  # this server's own
    event = RunEvent.objects.get(run=new, kind="import")
    left_out = {item["setting"]: item["archived"] for item in event.payload["changes"]["server_settings"]}
    assert left_out == {
        "limits": limits, "workers": 64, "llm.base_url": "https://collector.example/v1", "llm.timeout": 3600
    }
    assert all(report.intact for report in verify())


def test_an_archive_without_limits_says_so(story, other_project, bob, tmp_path):
    path = tmp_path / "run.jsonl"
    path.write_bytes(dump(rows_of(story.run)))
    import_file(path, "doublebox", "bob")
    event = RunEvent.objects.get(run__project=other_project, kind="import")
    (limits,) = event.payload["changes"]["server_settings"]
    assert (limits["setting"], limits["archived"]) == ("limits", None)
    assert "this server's own" in limits["here"]
