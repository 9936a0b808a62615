"""A program's `artifacts_json` (the evaluator's small artifacts) is kept in its candidate's
params.source.artifacts; one over 64 KiB keeps only its head, as text, with its length, hash and a note; one
that is no JSON object is refused naming the file and the field, with nothing written."""

import json

import pytest

from provenance.models import Run, RunEvent
from provenance.sources.openevolve import MAX_ARTIFACTS
from tests.sources.conftest import OPENEVOLVE, by_source_id, import_run
from tests.sources.test_a_damaged_source_is_refused_with_nothing_written import a_program, refused

pytestmark = pytest.mark.django_db


def test_each_program_s_artifacts_are_on_its_candidate(project):
    import_run("openevolve", OPENEVOLVE)
    candidates = by_source_id(Run.objects.get(engine="openevolve"))
    seen = 0
    for file in OPENEVOLVE.glob("checkpoints/*/programs/*.json"):
        program = json.loads(file.read_text())
        if program.get("artifacts_json"):
            assert candidates[program["id"]].params["source"]["artifacts"] == json.loads(
                program["artifacts_json"]
            )
            seen += 1
        else:
            assert "artifacts" not in candidates[program["id"]].params["source"]
    assert seen


def rewrite(directory, artifacts):
    file = a_program(directory)
    program = json.loads(file.read_text())
    program["artifacts_json"] = artifacts
    file.write_text(json.dumps(program))
    return file, program["id"]


def test_artifacts_over_the_bound_keep_only_their_head_with_a_note(project, copied):
    directory = copied("openevolve")
    big = json.dumps({"stdout": "x" * (2 * MAX_ARTIFACTS)})
    _, program = rewrite(directory, big)
    import_run("openevolve", directory)
    kept = by_source_id(Run.objects.get(engine="openevolve"))[program]
    artifacts = kept.params["source"]["artifacts"]
    assert artifacts["truncated"] == big[:MAX_ARTIFACTS] and artifacts["characters"] == len(big)
    assert f"only the first {MAX_ARTIFACTS} kept" in " ".join(kept.params["not recorded by the source"])
    (record,) = RunEvent.objects.filter(kind="import")
    assert any(gap.startswith(f"program {program}: artifacts_json") for gap in record.payload["missing"])


@pytest.mark.parametrize(
    "artifacts, says",
    [
        ("{not json", "artifacts_json: not JSON"),
        ("[1, 2]", "artifacts_json: JSON text of an object, not a array"),
        ({"feedback": "an object, not its JSON text"}, "artifacts_json: a string, not a object"),
        ("[" * 300 + "]" * 300, "nested deeper than"),
    ],
)
def test_artifacts_that_are_no_json_object_are_refused(project, copied, artifacts, says):
    directory = copied("openevolve")
    file, _ = rewrite(directory, artifacts)
    message = refused("openevolve", directory)
    assert file.name in message and says in message
