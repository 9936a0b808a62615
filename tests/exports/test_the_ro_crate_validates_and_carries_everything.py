"""The RO-Crate zip is a BagIt bag holding an RO-Crate 1.1 / Process Run Crate 0.5 that roc-validator passes
at REQUIRED level, with the transcript, programs, PROV-JSON and JSONL inside."""

import hashlib
import json
import zipfile

import pytest

from provenance.exports import export
from tests.exports.rocrate_offline import validate

pytestmark = pytest.mark.django_db


@pytest.fixture
def crate(story, tmp_path):
    path = tmp_path / "crate.zip"
    path.write_bytes(export("crate", candidate=story.final.pk).content)
    return path


def test_roc_validator_passes_it_at_required_level(crate, tmp_path, monkeypatch):
    result = validate(crate, tmp_path, monkeypatch)
    issues = [f"{i.check.identifier}: {i.message}" for i in result.get_issues()]
    assert result.passed(), issues


def test_it_holds_the_transcript_programs_prov_and_archive(story, crate):
    with zipfile.ZipFile(crate) as archive:
        names = set(archive.namelist())
        metadata = json.loads(archive.read("data/ro-crate-metadata.json"))
        program = archive.read(f"data/programs/candidate-{story.final.pk}.py").decode()
    assert {
        "data/transcript.md",
        "data/provenance.prov.json",
        "data/archive.jsonl",
        "data/ai-use-disclosure.md",
    } <= names
    assert program == story.final.source
    assert f"data/programs/candidate-{story.stranger.pk}.py" not in names
    graph = {entity["@id"]: entity for entity in metadata["@graph"]}
    assert metadata["@context"] == "https://w3id.org/ro/crate/1.1/context"
    assert graph["./"]["conformsTo"] == [{"@id": "https://w3id.org/ro/wfrun/process/0.5"}]
    action = graph[f"#create-{story.final.hash}"]
    assert action["@type"] == "CreateAction" and action["object"] == [
        {"@id": f"programs/candidate-{story.llm.pk}.py"}
    ]


def test_its_bag_manifest_lists_every_file_with_its_sha256(crate):
    with zipfile.ZipFile(crate) as archive:
        manifest = archive.read("manifest-sha256.txt").decode().splitlines()
        payload = {name for name in archive.namelist() if name.startswith("data/")}
        for line in manifest:
            digest, name = line.split("  ", 1)
            assert hashlib.sha256(archive.read(name)).hexdigest() == digest
        assert {line.split("  ", 1)[1] for line in manifest} == payload
        assert archive.read("bagit.txt").startswith(b"BagIt-Version: 1.0")
        assert b"Seedtrace-Chain-Head: run:" in archive.read("bag-info.txt")


def test_the_validator_does_refuse_a_crate_without_the_profile(crate, tmp_path, monkeypatch):
    """So that the passing check above means something offline."""
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(crate) as source, zipfile.ZipFile(broken, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "data/ro-crate-metadata.json":
                metadata = json.loads(data)
                for entity in metadata["@graph"]:
                    if entity["@id"] == "./":
                        del entity["conformsTo"]
                    if entity.get("@type") == "CreateAction":
                        del entity["instrument"]
                data = json.dumps(metadata).encode()
            target.writestr(name, data)
    result = validate(broken, tmp_path, monkeypatch)
    assert not result.passed()
