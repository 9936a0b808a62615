"""A candidate's ancestry opens at a zoom where its labels (id, score, operator) read; a click shows the
candidate's code, diff and producer beside the graph without leaving the page; hovering shows a tooltip;
the arrow keys walk the graph; and the page lists the same ancestry."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def deep(founder, mutate):
    """A 31-node ancestry: the shape that used to fit into a thin column of unlabelled dots."""
    node = founder
    for i in range(30):
        node = mutate(node, score=-(120 - i))
    return node


def test_the_ancestry_is_readable_and_answers_in_place(tab, alice, deep, founder):
    tab.log_in_as(alice)
    page = tab.page
    page.set_viewport_size({"width": 1440, "height": 900})
    tab.open(f"/candidates/{deep.pk}/lineage/")
    tab.wait_for_lineage()
    assert page.evaluate("window.seedtraceLineage.zoom()") >= 0.8  # labels at their size, not specks
    label = page.evaluate(f"window.seedtraceLineage.getElementById('{deep.pk}').data('label')")
    assert label == f"#{deep.pk} · 91 seeds · GP mutation"

    x, y = tab.node_position(deep.pk)
    page.mouse.move(x, y)
    page.wait_for_selector("#lineage-tip:not([hidden])")
    assert "complete with 91 seeds" in page.inner_text("#lineage-tip")

    url = page.url
    tab.click_node(deep.pk)
    page.wait_for_selector(f"#panel h2:has-text('Candidate {deep.pk}')")
    assert page.url == url
    panel = page.inner_text("#panel")
    assert "GP mutation" in panel and "def keep(seed)" in panel and "Diff from candidate" in panel

    page.focus("#cy")
    page.keyboard.press("ArrowUp")
    parent = page.evaluate("window.seedtraceLineage.nodes('.selected').map(n => n.id())")
    assert parent == [str(deep.pk - 1)] or len(parent) == 1
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#panel h2:has-text('Candidate {parent[0]}')")

    assert page.locator("table.lineage-list tbody tr").count() == 31
    assert tab.watched.problems == []
