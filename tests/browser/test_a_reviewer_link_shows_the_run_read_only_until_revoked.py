import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reviewer_link_shows_the_run_read_only_until_revoked(tab, second_tab, alice, run, founder):
    owner, referee = tab, second_tab
    owner.log_in_as(alice)
    owner.open(f"/runs/{run.pk}/")
    owner.page.fill("#reviewer-links input[name=label]", "referee 2, PRD")
    owner.page.click("button:has-text('Create a read-only link')")
    link = owner.page.inner_text(".new-link code")
    assert "/review/" in link

    response = referee.open(link)  # no account: the link alone
    assert response.status == 200
    page = referee.page
    assert page.inner_text("h1") == run.title
    assert "read-only reviewer link" in page.inner_text("header")
    assert page.locator("form.new-note").count() == 0
    assert page.locator("#reviewer-links").count() == 0
    referee.open(f"/candidates/{founder.pk}/")
    assert page.inner_text("h1").startswith(f"Candidate {founder.pk}")
    assert page.locator("a:has-text('Edit and submit')").count() == 0
    assert page.locator("form.new-note").count() == 0
    assert referee.watched.problems == []  # (from here on its requests get 404s, which the console reports)

    owner.page.click("#reviewer-links button:has-text('Revoke')")
    owner.page.wait_for_selector("#reviewer-links td:has-text('revoked')")

    assert referee.open(f"/runs/{run.pk}/").status == 404
    assert referee.open(f"/candidates/{founder.pk}/").status == 404
    assert referee.open(link).status == 404
    assert owner.watched.problems == []
