"""Contributors are Person entities in the RO-Crate, identified by the ORCID iD of their profile; the crate
carries a CITATION.cff and a .zenodo.json naming them; an ORCID iD with a wrong check digit is refused."""

import json
import zipfile

import pytest
from django.core.exceptions import ValidationError

from provenance.exports import export
from provenance.models import Profile
from tests.exports.rocrate_offline import validate

pytestmark = pytest.mark.django_db
ORCID = "0000-0002-1825-0097"  # ORCID's own example iD


@pytest.fixture
def crate(story, alice, tmp_path):
    Profile.objects.create(user=alice, name="Alice Physicist", orcid=ORCID)
    path = tmp_path / "crate.zip"
    path.write_bytes(export("crate", candidate=story.final.pk).content)
    return path


def members(crate) -> tuple[dict, str, dict]:
    with zipfile.ZipFile(crate) as archive:
        metadata = json.loads(archive.read("data/ro-crate-metadata.json"))
        cff = archive.read("data/CITATION.cff").decode()
        zenodo = json.loads(archive.read("data/.zenodo.json"))
    return {e["@id"]: e for e in metadata["@graph"]}, cff, zenodo


def test_a_person_with_an_orcid_is_a_person_entity_identified_by_it(crate):
    graph, _, _ = members(crate)
    alice = graph[f"https://orcid.org/{ORCID}"]
    assert alice["@type"] == "Person" and alice["name"] == "Alice Physicist"
    assert {"@id": f"https://orcid.org/{ORCID}"} in graph["./"]["author"]
    assert any(e.get("@type") == "Person" and e["name"] == "bob" for e in graph.values())


def test_the_citation_and_zenodo_metadata_name_the_people(crate):
    _, cff, zenodo = members(crate)
    assert cff.startswith("cff-version: 1.2.0") and f'orcid: "https://orcid.org/{ORCID}"' in cff
    assert {"name": "Alice Physicist", "orcid": ORCID} in zenodo["creators"]
    assert zenodo["upload_type"] == "dataset"


def test_the_crate_still_validates(crate, tmp_path, monkeypatch):
    result = validate(crate, tmp_path, monkeypatch)
    assert result.passed(), [f"{i.check.identifier}: {i.message}" for i in result.get_issues()]


def test_an_orcid_with_a_wrong_check_digit_is_refused(alice):
    with pytest.raises(ValidationError):
        Profile.objects.create(user=alice, orcid="0000-0002-1825-0098")
    Profile.objects.create(user=alice, orcid="0000-0002-9079-593X")  # a valid iD whose check digit is X
