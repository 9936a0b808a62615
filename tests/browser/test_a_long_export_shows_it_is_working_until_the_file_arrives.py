"""Clicking an export shows that it is being prepared (and for how long) until the file arrives, then that
it was downloaded; the file is the export itself."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_export_button_says_it_is_working_then_done(tab, alice, run, founder, mutate):
    child = mutate(founder, score=-100)
    tab.log_in_as(alice)
    page = tab.page
    tab.open(f"/candidates/{child.pk}/")
    link = page.locator("a[data-export=md]")
    page.evaluate("""() => {  // every text the status shows, however briefly
        window.seen = [];
        const status = document.querySelector("a[data-export=md]").parentNode.querySelector(".export-status");
        new MutationObserver(() => window.seen.push(status.textContent))
            .observe(status, {childList: true, characterData: true, subtree: true});
    }""")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.endswith(".md")
    text = open(download.value.path(), encoding="utf-8").read()
    assert f"{child.pk}" in text
    page.wait_for_selector(".export-status:has-text('downloaded')")
    assert page.evaluate("window.seen")[0] == "preparing…"
    assert link.get_attribute("aria-busy") is None
    assert tab.watched.problems == []
