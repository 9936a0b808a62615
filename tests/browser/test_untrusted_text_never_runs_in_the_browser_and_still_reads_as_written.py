"""A corpus of attacks placed in everything a model, a program or a person can write — model output, prompt,
program source, a note, the run's title, the project's and the model's names — then every page that shows
them is opened in Chromium: no dialog opens, the console stays clean (a Content-Security-Policy violation is
a console error), and the text reads as it was written."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CORPUS = {
    "script tag": "<script>alert(1)</script>",
    "img onerror": '"><img src=x onerror=alert(1)>',
    "svg onload": "'><svg onload=alert(1)>",
    "attribute breakout": '" autofocus onfocus="alert(1)',
    "javascript: URL": '<a href="javascript:alert(1)">x</a>',
    "javascript: Markdown link": "[click](javascript:alert(1))",
    "out of json_script": "</script><script>alert(1)</script><!--",
    "out of a textarea": "</textarea><script>alert(1)</script>",
    "inline style": "<style>body{display:none}</style><div style=x>",
    "template injection": "{{ 7|add:7 }} {% now 'Y' %} ${alert(1)} {{constructor.constructor('alert(1)')()}}",
    "unicode tricks": (
        "\u202egnp.exe\u202c \u200bz\u200d \u2028\u2029 \ufeff ＜script＞alert(1)＜/script＞ \U0001d41a"
    ),
    "iframe srcdoc": "<iframe srcdoc='<script>alert(1)</script>'></iframe>",
}
MARKDOWN = ("[", "<a ", "\u2028")  # a note is Markdown: links and line breaks change what it shows


@pytest.fixture
def world(hostile_world):
    return lambda payload: hostile_world(payload, model=f"model {payload}")


@pytest.mark.parametrize("payload", CORPUS.values(), ids=CORPUS.keys())
def test_untrusted_text_never_runs_in_the_browser_and_still_reads_as_written(tab, alice, world, payload):
    run, candidate = world(payload)
    tab.log_in_as(alice)
    page = tab.page
    text = page.text_content

    tab.open("/")
    assert f"Project {payload}" in text("ul.projects")
    tab.open(f"/p/{run.project.slug}/")
    assert text("h1") == f"Project {payload}"
    assert text("table.runs a") == payload
    tab.open(f"/runs/{run.pk}/")
    assert text("h1") == payload
    assert f"model {payload}" in text("table.agents")
    tab.open(f"/candidates/{candidate.pk}/")
    assert text("pre.prompt") == f"prompt {payload}"
    assert text("pre.model-output") == f"output {payload}"
    assert text("pre.error") == f"error {payload}"
    assert f"# {payload}" in text(".source")
    assert f"Project {payload}" in text(".crumbs")
    if not any(mark in payload for mark in MARKDOWN):
        assert text(".note-body").strip() == f"note {payload}"
    tab.open(f"/candidates/{candidate.pk}/edit/")
    assert page.input_value("textarea[name=source]") == candidate.source
    for lineage in (f"/candidates/{candidate.pk}/lineage/", f"/runs/{run.pk}/lineage/"):
        tab.open(lineage)
        tab.wait_for_lineage()
        agents = page.evaluate("window.seedtraceLineage.nodes().map(n => n.data('agent'))")
        assert f"model {payload}" in agents
    assert tab.watched.problems == []
