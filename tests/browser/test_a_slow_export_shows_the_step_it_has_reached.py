"""While a slow export is made, its link's status names the step it has reached, numbered out of all its
steps ("step 5 of 8: writing the PROV-JSON"), then that the file was downloaded."""

import time

import pytest

from provenance.exports import provjson

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_status_says_the_step_then_downloaded(tab, alice, run, founder, mutate, monkeypatch):
    child = mutate(founder, score=-100)
    real = provjson.render

    def slow(scope):  # the live server runs in this process: the PROV-JSON now takes two seconds
        time.sleep(2)
        return real(scope)

    monkeypatch.setattr(provjson, "render", slow)
    tab.log_in_as(alice)
    page = tab.page
    tab.open(f"/candidates/{child.pk}/")
    page.evaluate("""() => {
        window.seen = [];
        const status = document.querySelector("li:has(a[data-export=crate]) .export-status");
        new MutationObserver(() => window.seen.push(status.textContent))
            .observe(status, {childList: true, characterData: true, subtree: true});
    }""")
    with page.expect_download() as download:
        page.click("a[data-export=crate]")
    assert download.value.suggested_filename.endswith(".crate.zip")
    page.wait_for_selector("li:has(a[data-export=crate]) .export-status:has-text('downloaded')")
    seen = page.evaluate("window.seen")
    assert seen[0] == "preparing…"
    assert any(text.startswith("step 5 of 8: writing the PROV-JSON… ") for text in seen), seen
    assert tab.watched.problems == []
