"""The run page plots its candidates complete on every problem, seeds against multiply-adds, with the Pareto
front highlighted: each point links to its candidate and tells its numbers on hover, the figure has a
caption, the SVG a label, the front a table, its colours AA contrast; the page names the run's objective."""

import re

import pytest
from django.urls import reverse

from evolution.runs import start_run
from provenance import ledger
from tests.pages.html_check import PageReader
from tests.pages.test_every_colour_meets_wcag_aa_contrast import contrast
from web.plot import FRONT_COLOUR, OTHER_COLOUR

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread(run, gp):
    """Candidates by (seeds, multiply-adds): two on the front, one dominated, one incomplete."""
    made = {}
    for name, seeds, madds in (("fewest", 88, 30000), ("cheapest", 92, 20000), ("dominated", 120, 25000),
                               ("incomplete", None, None)):
        source = f"def keep(seed):\n    return seed.r <= {len(made)}\n"
        candidate = ledger.record_candidate(run, source=source, activity="gp_mutation", agent=gp)
        if seeds is None:
            ledger.record_evaluation(candidate, problem="rank3", verdict="incomplete", score=-7000,
                                     unreduced=3)
        else:
            ledger.record_evaluation(candidate, problem="rank3", verdict="complete", score=-seeds,
                                     seeds=seeds, equations=9 * seeds,
                                     details={"work": {"multiply_adds": madds}})
        made[name] = candidate
    return made


def figure(html: str) -> str:
    return re.search(r'<figure class="plot">\s*<figcaption>Seeds against multiply-adds.*?</figure>', html,
                     re.S).group(0)


def test_each_candidate_complete_everywhere_is_a_linked_point_with_its_numbers(as_alice, run, spread):
    html = figure(as_alice.get(reverse("pages:run", args=[run.pk])).content.decode())
    for name, seeds, madds, where in (("fewest", 88, "30,000", "on the Pareto front"),
                                      ("cheapest", 92, "20,000", "on the Pareto front"),
                                      ("dominated", 120, "25,000", "dominated")):
        pk = spread[name].pk
        link = f'<a href="{reverse("pages:candidate", args=[pk])}"><circle'
        assert link in html, name
        assert f"candidate {pk} · {seeds} seeds · {madds} multiply-adds in all · {where}" in html, name
    assert f"candidate {spread['incomplete'].pk} ·" not in html
    assert html.count(f'fill="{FRONT_COLOUR}"><title>') == 2  # the front's points, filled
    assert 'class="pareto-front"' in html and "<polyline" in html


def test_the_figure_is_captioned_labelled_and_tabulated(as_alice, run, spread):
    html = figure(as_alice.get(reverse("pages:run", args=[run.pk])).content.decode())
    assert "The 3 candidates complete on every problem of the run" in html
    label = "Seeds against multiply-adds, with the Pareto front: 3 candidates, 2 on the front"
    assert f'role="img" aria-label="{label}"' in html
    table = html.split('<table class="pareto-front">', 1)[1]
    rows = re.findall(r"<tr><td><a href=\"/candidates/(\d+)/\">\d+</a></td><td>(\d+)</td><td>(\d+)</td></tr>",
                      table)
    assert rows == [(str(spread["fewest"].pk), "88", "30000"), (str(spread["cheapest"].pk), "92", "20000")]
    reader = PageReader()
    reader.feed(html)
    assert reader.dangers == []


def test_the_plot_s_colours_have_aa_contrast_on_white():
    assert contrast(FRONT_COLOUR, "#ffffff") >= 4.5 and contrast(OTHER_COLOUR, "#ffffff") >= 4.5


def test_the_page_names_the_objective_that_scores_the_run(as_alice, run, spread, project, alice):
    html = as_alice.get(reverse("pages:run", args=[run.pk])).content.decode()
    assert "Scored by the objective <code>seeds</code>: a complete rule's score is minus its seeds" in html
    weighted = start_run(project, family="trianglebox", problems=["rank3"], engine="gp", started_by=alice,
                         config={"objective": "seeds+0.001*multiply_adds"})
    html = as_alice.get(reverse("pages:run", args=[weighted.pk])).content.decode()
    assert ("Scored by the objective <code>seeds+0.001*multiply_adds</code>: a complete rule's score is "
            "minus that weighted sum") in html
