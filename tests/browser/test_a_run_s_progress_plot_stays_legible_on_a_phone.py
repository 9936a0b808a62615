"""At 390 px wide (a phone) the run page's progress plots keep their axis text legible: each plot keeps a
width at which its 11-unit text is at least 9.5 px on screen, and scrolls sideways inside its own figure
while the page itself does not."""

import pytest

from evolution.models import RunState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SMALLEST_PX = 9.5


def test_the_axis_text_is_legible_and_only_the_plot_scrolls(tab, alice, run, founder, mutate):
    child = mutate(founder, score=-100)
    mutate(child, score=-90)
    RunState.objects.filter(run=run).update(best_candidate=child, best_score=-90, evaluations=3)
    tab.log_in_as(alice)
    page = tab.page
    page.set_viewport_size({"width": 390, "height": 844})
    tab.open(f"/runs/{run.pk}/")
    page.wait_for_selector("svg.plot")
    plots = page.evaluate("""() => [...document.querySelectorAll('svg.plot')].map(svg => {
        const text = svg.querySelector('text[font-size="11"]').getBoundingClientRect();
        const figure = svg.closest('figure').getBoundingClientRect();
        const box = svg.closest('figure');
        return {scale: svg.getBoundingClientRect().width / svg.viewBox.baseVal.width, figure: figure.right,
                scrolls: box.scrollWidth > box.clientWidth && getComputedStyle(box).overflowX === 'auto',
                text: text.height};
    })""")
    assert plots, "the run page shows its progress plots"
    for plot in plots:
        assert 11 * plot["scale"] >= SMALLEST_PX, plot
        assert plot["figure"] <= 390 and plot["scrolls"], plot  # the figure fits; the plot scrolls inside it
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.set_viewport_size({"width": 1280, "height": 900})  # on a wide screen, no scrolling box
    assert page.evaluate("[...document.querySelectorAll('figure.plot')]"
                         ".every(f => getComputedStyle(f).overflowX === 'visible')")
    assert tab.watched.problems == []
