"""From any page's header a person opens their profile, types a name and an ORCID iD with a wrong check
digit and is told so with nothing saved, then corrects it and sees it saved."""

import pytest

from provenance.models import Profile

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_wrong_orcid_is_refused_then_a_right_one_saved(tab, alice, run):
    tab.log_in_as(alice)
    page = tab.page
    tab.open(f"/runs/{run.pk}/")
    page.click("header a:has-text('profile')")
    assert page.title() == "Your profile (alice) · Seedtrace"

    page.get_by_label("Name, as a citation should give it").fill("Alice Physicist")
    page.get_by_label("ORCID iD (optional)").fill("0000-0002-1825-0098")
    page.click("button:has-text('Save')")
    alert = page.locator("[role=alert]")
    assert "Nothing was saved" in alert.inner_text() and "is no ORCID iD" in alert.inner_text()
    assert page.get_attribute("#profile-orcid", "aria-invalid") == "true"
    assert not Profile.objects.filter(user=alice).exists()

    page.get_by_label("ORCID iD (optional)").fill("0000-0002-1825-0097")
    page.click("button:has-text('Save')")
    page.wait_for_selector("[role=status]:has-text('Saved')")
    assert page.input_value("#profile-name") == "Alice Physicist"
    assert Profile.objects.get(user=alice).orcid == "0000-0002-1825-0097"
    refused = "the server responded with a status of 400 (Bad Request)"  # the refused form, as intended
    assert [problem for problem in tab.watched.problems if refused not in problem] == []
