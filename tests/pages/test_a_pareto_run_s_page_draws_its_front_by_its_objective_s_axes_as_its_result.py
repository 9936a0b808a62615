"""A run scored by a Pareto objective says on its page that it ranks rules by their distance from its front
and that the front holds its results; the front is drawn by the objective's axes (seeds against the second,
the third in the table and tooltips, a point on the front in three terms marked so even where two would
dominate it), and each evaluation's explanation gives its score on each axis."""

import re

import pytest
from django.urls import reverse

from evolution.models import RunState
from evolution.runs import start_run
from provenance import ledger

pytestmark = pytest.mark.django_db

OBJECTIVE = "pareto(seeds,pivot_row_entries,pivots)"


@pytest.fixture
def pareto_run(project, alice, gp):
    run = start_run(project, family="trianglebox", problems=["rank3"], engine="gp", started_by=alice,
                    config={"objective": OBJECTIVE})
    made = {}
    for name, seeds, entries, pivots in (("fewest", 88, 30000, 700), ("smallest", 92, 20000, 750),
                                         ("fewest_pivots", 120, 25000, 600), ("dominated", 121, 26000, 650)):
        source = f"def keep(seed):\n    return seed.r <= {len(made)}\n"
        candidate = ledger.record_candidate(run, source=source, activity="gp_mutation", agent=gp)
        ledger.record_evaluation(candidate, problem="rank3", verdict="complete", score=-seeds, seeds=seeds,
                                 equations=9 * seeds,
                                 details={"work": {"pivot_row_entries": entries, "pivots": pivots},
                                          "objective": OBJECTIVE, "pareto": [-seeds, -entries, -pivots]})
        made[name] = candidate
    return run, made


def test_the_page_says_the_front_is_the_run_s_objective_and_result(as_alice, pareto_run):
    run, _ = pareto_run
    html = as_alice.get(reverse("pages:run", args=[run.pk])).content.decode()
    assert f"<code>{OBJECTIVE}</code>" in html
    assert "ranked by how far they are from the run's Pareto front" in html
    assert "The front is this run's objective" in html
    assert "weighted sum" not in html


def test_the_front_is_drawn_by_the_objective_s_axes_the_third_in_the_table(as_alice, pareto_run):
    run, made = pareto_run
    html = as_alice.get(reverse("pages:run", args=[run.pk])).content.decode()
    assert "Seeds against pivot row entries, with the Pareto front" in html
    table = re.search(r'<table class="pareto-front">.*?</table>', html, re.S).group(0)
    assert "<th>Pivot row entries</th><th>Pivots</th>" in table
    on_front = [int(pk) for pk in re.findall(r'/candidates/(\d+)/', table)]
    # 120 seeds and 25,000 entries is dominated in two axes by (92, 20,000) but has the fewest pivots
    assert on_front == [made["fewest"].pk, made["smallest"].pk, made["fewest_pivots"].pk]
    assert "<td>600</td>" in table
    assert "600 pivots in all" in html and "on the Pareto front" in html


def test_an_evaluation_s_explanation_gives_its_score_on_each_axis(as_alice, pareto_run):
    _, made = pareto_run
    html = as_alice.get(reverse("pages:candidate", args=[made["fewest"].pk])).content.decode()
    assert ("on its axes seeds −88, pivot_row_entries −30000, pivots −700") in html


def test_the_api_gives_the_run_s_front_as_its_state_keeps_it(as_alice, pareto_run):
    run, _ = pareto_run
    front = [[-88.0, -30000.0, -700.0], [-92.0, -20000.0, -750.0], [-120.0, -25000.0, -600.0]]
    RunState.objects.update_or_create(run=run, defaults={"best_score": -88, "front": front})
    state = as_alice.get(reverse("pages:api-run", args=[run.pk])).json()
    assert state["front"] == front and state["best_score"] == -88
