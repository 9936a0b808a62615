import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_note_added_in_the_browser_is_rendered_on_the_page(tab, alice, founder):
    tab.log_in_as(alice)
    tab.open(f"/candidates/{founder.pk}/")
    page = tab.page
    assert page.inner_text(".notes .none") == "No notes."

    page.fill("form.new-note textarea[name=body]", "The **r_top + 1** bound is the key idea; see `keep`.")
    page.click("form.new-note button")  # htmx posts it and swaps the notes in place

    note = page.locator(".note").first
    note.wait_for()
    assert note.locator(".note-body strong").inner_text() == "r_top + 1"
    assert note.locator(".note-body code").inner_text() == "keep"
    assert "alice" in note.locator(".note-meta").inner_text() and "version 1" in note.inner_text()

    page.reload()  # stored, not only swapped in
    assert page.locator(".note-body strong").inner_text() == "r_top + 1"
    assert tab.watched.problems == []
