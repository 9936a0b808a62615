"""Typing in the edit form checks the text on the server (htmx) and says what is wrong before anything is
submitted."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_syntax_error_is_named_before_submitting(tab, alice, founder):
    tab.log_in_as(alice)
    page = tab.page
    tab.open(f"/candidates/{founder.pk}/edit/")
    assert "Reads as Python" in page.inner_text("#source-check")
    page.fill("#edit-source", "def keep(seed):\n    return seed.r <=\n")
    page.wait_for_selector("#source-check:has-text('not valid Python')")
    page.fill("#edit-source", "def keep(seed):\n    return seed.r <= 2\n")
    page.wait_for_selector("#source-check:has-text('Reads as Python')")
    assert tab.watched.problems == []
