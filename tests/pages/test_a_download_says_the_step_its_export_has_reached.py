"""A download link names a token of its own (?progress=); while the export is made, the person who asked
reads the step it has reached at the progress address, and that it is done once the file is sent; nobody
else reads it, and a download without a token is made as before."""

import json
import secrets

import pytest
from django.test import Client
from django.urls import reverse

from provenance.exports import provjson

pytestmark = pytest.mark.django_db



@pytest.fixture
def token() -> str:
    """A fresh token, as the page's script makes one: the cache outlives the test database."""
    return secrets.token_hex(16)


def progress(client, token: str) -> dict:
    response = client.get(reverse("pages:export-progress", args=[token]))
    assert response.status_code == 200 and "no-cache" in response["Cache-Control"]
    return json.loads(response.content)


def test_the_step_reached_is_read_while_the_export_is_made(as_alice, alice, founder, monkeypatch, token):
    watcher = Client()  # the page's script, asking beside the download
    watcher.force_login(alice)
    seen = []
    real = provjson.render

    def render(scope):  # the PROV-JSON is made: what does the page's script read meanwhile?
        seen.append(progress(watcher, token))
        return real(scope)

    monkeypatch.setattr(provjson, "render", render)
    url = reverse("pages:candidate-export", args=[founder.pk, "crate"]) + f"?progress={token}"
    assert progress(watcher, token) == {}
    response = as_alice.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert seen == [{"step": 5, "of": 8, "title": "writing the PROV-JSON"}]
    assert progress(watcher, token) == {"done": True}


def test_another_person_reads_nothing_of_it(as_alice, founder, bob, token):
    as_alice.get(reverse("pages:candidate-export", args=[founder.pk, "md"]) + f"?progress={token}")
    assert progress(as_alice, token) == {"done": True}
    other = Client()
    other.force_login(bob)
    assert progress(other, token) == {} and progress(Client(), token) == {}


@pytest.mark.parametrize("token", ["", "short", "x" * 65, "../../etc"])
def test_without_a_good_token_the_download_is_made_and_nothing_kept(as_alice, founder, token):
    response = as_alice.get(reverse("pages:candidate-export", args=[founder.pk, "md"]), {"progress": token})
    assert response.status_code == 200 and str(founder.pk) in response.content.decode()
    if token and "/" not in token:
        assert progress(as_alice, token) == {}


def test_the_download_links_say_where_to_read_their_progress(as_alice, founder):
    html = as_alice.get(reverse("pages:candidate", args=[founder.pk])).content.decode()
    assert f'data-progress="{reverse("pages:export-progress", args=["TOKEN"])}"' in html
