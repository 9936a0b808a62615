import pytest
from django.urls import reverse

from evolution.models import RunState

pytestmark = pytest.mark.django_db


@pytest.fixture
def progressed(run, founder, mutate):
    better = mutate(founder, score=-100)
    mutate(better, score=-110)
    best = mutate(better, score=-90)
    RunState.objects.filter(run=run).update(
        status="running", evaluations=4, in_flight=2, failures=1, best_score=-90, best_candidate=best
    )
    return best


def test_the_project_lists_its_runs(as_alice, run, progressed):
    html = as_alice.get(reverse("pages:project", args=[run.project.slug])).content.decode()
    assert "Night run" in html and reverse("pages:run", args=[run.pk]) in html


def test_the_run_page_shows_status_plot_and_agents(as_alice, run, progressed):
    html = as_alice.get(reverse("pages:run", args=[run.pk])).content.decode()
    assert "<polyline" in html and "best overall" in html
    assert reverse("pages:candidate", args=[progressed.pk]) in html
    assert "Laporta rule" in html and "GP mutation" in html  # agents as a reader spells them
    assert 'hx-trigger="every 3s"' in html


def test_polling_gets_only_the_status_fragment(as_alice, run, progressed):
    response = as_alice.get(reverse("pages:run", args=[run.pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="run-status"')
    assert "<html" not in html and "Notes" not in html


def test_polling_stops_once_the_run_has_finished(as_alice, run, progressed):
    RunState.objects.filter(run=run).update(status="finished")
    html = as_alice.get(reverse("pages:run", args=[run.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in html


def test_the_agent_table_counts_improvements(run, founder, mutate):
    from web.progress import agent_table, progress

    better = mutate(founder, score=-100)  # improves on -120
    mutate(better, score=-130)  # does not
    mutate(better, score=-95)  # improves
    found = progress(run)
    assert [score for _, score in found.best] == [-120, -100, -95]
    rows = {row["name"]: row for row in agent_table(run, found.improvements)}
    assert rows["gp mutation"] == {
        "kind": "algorithm",
        "name": "gp mutation",
        "produced": 3,
        "improvements": 2,
    }
    assert rows["Laporta rule"]["improvements"] == 0
