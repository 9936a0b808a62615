"""The run page's panel that reads the whole run (plots, agents, cost) is rendered again at most every
run_panel.FRESH seconds while the run runs, by one request at a time: everyone polling the page shares it,
and each request reads only the status counts. The counts stay fresh; the panel catches up once FRESH has
passed; a request that comes while another renders it gets the panel as it was; an ended run's panel is read
anew once."""

import threading
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evolution.models import RunState
from web import run_panel

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(run, founder, mutate):
    best = mutate(founder, score=-100)
    RunState.objects.filter(run=run).update(status="running", evaluations=2, best_score=-100,
                                            best_candidate=best)
    return best


def page(client, run) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("pages:run", args=[run.pk])).content.decode()
    return html, len(queries)


def agents_produced(html: str) -> str:
    return html.split('<table class="agents">', 1)[1].split("</table>", 1)[0]


def test_a_second_request_within_fresh_seconds_reads_no_candidates(as_alice, run, running, mutate,
                                                                   monkeypatch):
    monkeypatch.setattr(run_panel, "FRESH", 0.5)
    first, first_queries = page(as_alice, run)
    mutate(running, score=-90)
    RunState.objects.filter(run=run).update(evaluations=3)
    second, second_queries = page(as_alice, run)
    assert second_queries < first_queries
    assert "<dd>3</dd>" in second  # the counts are read on every request
    assert agents_produced(second) == agents_produced(first)  # the panel is the one rendered a moment ago
    time.sleep(0.6)
    third, _ = page(as_alice, run)
    assert "<td>2</td>" in agents_produced(third)  # the GP agent's two children, once the second is over


def test_an_ended_run_s_panel_is_read_anew_when_it_ends(as_alice, run, running, mutate, monkeypatch):
    monkeypatch.setattr(run_panel, "FRESH", 60)
    page(as_alice, run)
    mutate(running, score=-90)
    RunState.objects.filter(run=run).update(status="finished", evaluations=3)
    html, _ = page(as_alice, run)
    assert "<td>2</td>" in agents_produced(html)


def test_while_one_request_renders_the_stale_panel_the_others_get_it_as_it_was(as_alice, run, running, mutate,
                                                                               monkeypatch):
    monkeypatch.setattr(run_panel, "FRESH", 0.2)
    first, _ = page(as_alice, run)
    mutate(running, score=-90)
    time.sleep(0.3)
    monkeypatch.setattr(run_panel, "_take_turn", lambda key: False)  # another request is rendering it
    second, _ = page(as_alice, run)
    assert agents_produced(second) == agents_produced(first)


def test_a_request_that_finds_the_first_render_under_way_waits_for_it(as_alice, run, running, monkeypatch):
    rendered = []
    monkeypatch.setattr(run_panel, "_take_turn", lambda key: False)  # another request has begun to render it
    monkeypatch.setattr(run_panel, "_render", rendered.append)
    state = RunState.objects.get(run=run)
    theirs = {"html": "<p>THEIRS</p>", "cost": "$1", "at": time.time()}
    other = threading.Timer(0.3, cache.set, [run_panel.panel_key(run, state, True), theirs])
    other.start()
    html, _ = page(as_alice, run)
    other.join()
    assert "<p>THEIRS</p>" in html and not rendered
