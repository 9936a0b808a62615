"""The lineage page's Graph and List links switch the view in place, from the keyboard as from the mouse,
keeping the choice in the address; opened as a list, the graph is drawn when first shown, readable; and
without JavaScript the list view still shows the whole table."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def chain(founder, mutate):
    child = mutate(founder, score=-100)
    return [founder, child, mutate(child, score=-90)]


def visible(page, selector: str) -> bool:
    return page.locator(selector).is_visible()


def test_the_keyboard_switches_to_the_list_and_back(tab, alice, chain):
    tab.log_in_as(alice)
    page = tab.page
    tab.open(f"/candidates/{chain[-1].pk}/lineage/")
    tab.wait_for_lineage()
    page.evaluate("window.notReloaded = true")
    assert visible(page, "#cy") and not visible(page, "table.lineage-list")

    page.focus(".view-switch a[data-view=list]")
    page.keyboard.press("Enter")
    assert visible(page, "table.lineage-list") and not visible(page, "#cy")
    assert page.locator("table.lineage-list tbody tr").count() == 3
    assert page.get_attribute(".view-switch a[data-view=list]", "aria-current") == "true"
    assert page.get_attribute(".view-switch a[data-view=graph]", "aria-current") is None
    assert page.url.endswith("?view=list") and page.evaluate("window.notReloaded") is True

    page.keyboard.press("Shift+Tab")  # back to the Graph link
    page.keyboard.press("Enter")
    assert visible(page, "#cy") and not visible(page, "table.lineage-list")
    assert page.url.endswith("?view=graph") and page.evaluate("window.notReloaded") is True
    assert tab.watched.problems == []


def test_opened_as_a_list_the_graph_is_drawn_readable_when_first_shown(tab, alice, chain):
    tab.log_in_as(alice)
    page = tab.page
    page.set_viewport_size({"width": 1440, "height": 900})
    tab.open(f"/candidates/{chain[-1].pk}/lineage/?view=list")
    assert visible(page, "table.lineage-list")
    assert page.evaluate("window.seedtraceLineage === undefined")  # not built in a box of no size
    page.click(".view-switch a[data-view=graph]")
    tab.wait_for_lineage()
    assert page.evaluate("window.seedtraceLineage.nodes().length") == 3
    assert page.evaluate("window.seedtraceLineage.zoom()") >= 0.8
    tab.click_node(chain[1].pk)
    page.wait_for_selector(f"#panel h2:has-text('Candidate {chain[1].pk}')")
    assert tab.watched.problems == []


def test_without_javascript_the_list_view_is_the_whole_table(chromium, live_server, alice, chain):
    from django.test import Client

    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        client = Client()
        client.force_login(alice)
        context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                              "url": live_server.url}])
        page = context.new_page()
        page.goto(f"/candidates/{chain[-1].pk}/lineage/")
        assert "JavaScript, which is off" in page.inner_text("#graph-view")
        page.click(".view-switch a[data-view=list]")
        assert page.url.endswith("?view=list")
        assert visible(page, "table.lineage-list") and not visible(page, "#cy")
        rows = page.locator("table.lineage-list tbody tr")
        assert rows.count() == 3 and f"#{chain[0].pk}" in rows.nth(0).inner_text()
        assert "GP mutation" in rows.nth(2).inner_text() and "90 seeds" in rows.nth(2).inner_text()
    finally:
        context.close()
