"""Untrusted text (program source, prompt, model output, notes, run title, project and agent names) comes out
as text: nothing in the page can run, and a reader still sees what was written."""

import json

import pytest
from django.urls import reverse

from tests.pages.html_check import read, text_of
from tests.pages.urls import html_pages

pytestmark = pytest.mark.django_db

CORPUS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "[click](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "</textarea><script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "<iframe src=//evil.example></iframe>",
    '<div style="background:url(javascript:alert(1))">',
    "<notatag> & \"quotes\" 'single'",
]


@pytest.fixture
def world(hostile_world):
    return lambda payload: hostile_world(payload, model=payload, run_note=True)


@pytest.mark.parametrize("payload", CORPUS)
def test_nothing_in_any_page_can_run(as_alice, world, payload):
    run, candidate = world(payload)
    for url in html_pages(run, candidate):
        response = as_alice.get(url)
        assert response.status_code == 200, url
        assert read(response.content.decode()).dangers == [], url


@pytest.mark.parametrize("payload", CORPUS)
def test_the_text_still_reads_as_written(as_alice, world, payload):
    run, candidate = world(payload)
    page = text_of(as_alice.get(reverse("pages:candidate", args=[candidate.pk])).content.decode())
    for written in [
        f"# {payload}",
        f"prompt {payload}",
        f"output {payload}",
        f"error {payload}",
        f"Project {payload}",
    ]:
        assert written in page
    run_page = text_of(as_alice.get(reverse("pages:run", args=[run.pk])).content.decode())
    assert payload in run_page  # the title, and the model's name in the agent table


@pytest.mark.parametrize("payload", [p for p in CORPUS if "[" not in p and "<a" not in p])
def test_notes_show_markup_as_text(as_alice, world, payload):
    run, candidate = world(payload)
    page = text_of(as_alice.get(reverse("pages:candidate", args=[candidate.pk])).content.decode())
    assert f"note {payload}" in page


def test_a_markdown_link_to_javascript_is_not_a_link(as_alice, world):
    run, candidate = world("[click](javascript:alert(1))")
    html = as_alice.get(reverse("pages:candidate", args=[candidate.pk])).content.decode()
    assert 'href="javascript' not in html.lower()


@pytest.mark.parametrize("payload", CORPUS)
def test_the_lineage_json_carries_the_text_unchanged(as_alice, world, payload):
    run, candidate = world(payload)
    data = json.loads(as_alice.get(reverse("pages:run-lineage-json", args=[run.pk])).content)
    assert payload in {node["data"]["agent"] for node in data["nodes"]}
